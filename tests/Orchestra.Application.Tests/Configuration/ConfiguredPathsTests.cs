using Microsoft.Extensions.Configuration;
using Orchestra.Application.Configuration;

namespace Orchestra.Application.Tests.Configuration;

/// <summary>Relative paths in the configuration are read against where they were written: their file, else the working directory.</summary>
[Trait("Category", "Unit")]
public sealed class ConfiguredPathsTests : IDisposable
{
    private const string Key = "Orchestra:Server:AllowedTemplateDirectories";
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-paths-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ConfigFile(string json)
    {
        var conf = Path.Combine(_dir, "conf");
        Directory.CreateDirectory(conf);
        var file = Path.Combine(conf, "orchestra.json");
        File.WriteAllText(file, json);
        return file;
    }

    [Fact]
    public void ResolveList_FromAConfigurationFile_IsRelativeToThatFile()
    {
        var file = ConfigFile("""{ "Orchestra": { "Server": { "AllowedTemplateDirectories": [ "../templates", "/abs/elsewhere" ] } } }""");

        var paths = ConfiguredPaths.ResolveList(OrchestraConfiguration.Build(file), Key);

        Assert.Equal([Path.Combine(_dir, "templates"), "/abs/elsewhere"], paths);
    }

    [Fact]
    public void ResolveList_FromTheCommandLine_IsRelativeToTheWorkingDirectory_AndOverridesTheFilesEntry()
    {
        var file = ConfigFile("""{ "Orchestra": { "Server": { "AllowedTemplateDirectories": [ "from-file", "../second" ] } } }""");

        var paths = ConfiguredPaths.ResolveList(OrchestraConfiguration.Build(file, switches: [$"--{Key}:0=from-cli"]), Key);

        Assert.Equal([Path.GetFullPath("from-cli"), Path.Combine(_dir, "second")], paths);
    }

    [Fact]
    public void ResolvedTemplateDirectories_WithNoneConfigured_IsTheDefaultUnderTheWorkingDirectory()
    {
        var file = ConfigFile("""{ "Orchestra": { "Server": { } } }""");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

        var dirs = new ServerOptions().ResolvedTemplateDirectories(configuration);

        Assert.Equal([Path.GetFullPath(ServerOptions.DefaultTemplateDirectory)], dirs);
    }
}
