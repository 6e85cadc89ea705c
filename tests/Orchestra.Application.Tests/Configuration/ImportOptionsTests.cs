using Microsoft.Extensions.Configuration;
using Orchestra.Application.Configuration;
using Orchestra.Application.Templates.Imports;

namespace Orchestra.Application.Tests.Configuration;

/// <summary>The import options as operators write them: the shipped <c>config/orchestra.json</c> says what the code's defaults are.</summary>
[Trait("Category", "Unit")]
public sealed class ImportOptionsTests
{
    [Fact]
    public void ShippedConfiguration_BindsTheDocumentedDefaults_AndAServerThatFetchesNothing()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Orchestra.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no Orchestra.sln above the test binaries");
        }

        var options = new OrchestraOptions();
        new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "config", "orchestra.json")).Build().GetSection(OrchestraOptions.SectionName).Bind(options);

        var defaults = new ImportOptions();
        Assert.Equal((defaults.Timeout, defaults.MaxFileBytes, defaults.MaxRedirects, defaults.CacheDirectory),
            (options.Imports.Timeout, options.Imports.MaxFileBytes, options.Imports.MaxRedirects, options.Imports.CacheDirectory));
        Assert.Empty(options.Server.AllowedImportHosts);
    }

    [Fact]
    public void ImportCache_IsBesideTheSqliteStore_UnlessConfigured()
    {
        var options = new OrchestraOptions();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Orchestra:Store:Directory"] = "/srv/orchestra" }).Build()
            .GetSection(OrchestraOptions.SectionName).Bind(options);

        Assert.Equal("/srv/orchestra/imports", HttpImportFetcher.ForCommand(options, offline: true).CacheDirectory);
        options.Imports.CacheDirectory = "/var/cache/orchestra-imports";
        Assert.Equal("/var/cache/orchestra-imports", HttpImportFetcher.ForCommand(options, offline: true).CacheDirectory);
    }
}
