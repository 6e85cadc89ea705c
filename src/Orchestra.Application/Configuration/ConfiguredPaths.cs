using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Orchestra.Application.Configuration;

/// <summary>
/// Resolves relative paths from the configuration the way their writer meant them, as git, Terraform and kubectl do: a path
/// written in a configuration file (<c>--config FILE</c>, <c>ORCHESTRA_CONFIG</c>) is relative to that file's directory; one given on
/// the command line, in the environment or by the defaults beside the executable is relative to the working directory.
/// </summary>
public static class ConfiguredPaths
{
    /// <summary>The absolute paths of the list at <paramref name="key"/> (<c>KEY:0</c>, <c>KEY:1</c>, ...), each resolved against where it was written.</summary>
    /// <param name="configuration">The configuration; when it is not an <see cref="IConfigurationRoot"/>, every path is relative to the working directory.</param>
    /// <param name="key">The list's key, e.g. <c>Orchestra:Server:AllowedTemplateDirectories</c>.</param>
    /// <returns>The entries in index order, blank ones left out, as full paths.</returns>
    public static IReadOnlyList<string> ResolveList(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(key);
        var entries = configuration.GetSection(key).GetChildren()
            .Select(c => (c.Path, c.Value, Index: int.TryParse(c.Key, out var i) ? i : int.MaxValue))
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .OrderBy(c => c.Index);
        return [.. entries.Select(c => Path.GetFullPath(c.Value!, BaseDirectoryOf(configuration as IConfigurationRoot, c.Path)))];
    }

    /// <summary>The directory a relative value at <paramref name="path"/> is relative to: its file's, or the working directory.</summary>
    private static string BaseDirectoryOf(IConfigurationRoot? root, string path)
    {
        var cwd = Directory.GetCurrentDirectory();
        // The last provider that has the key is the one whose value the configuration returns.
        foreach (var provider in root?.Providers.Reverse() ?? [])
        {
            if (!provider.TryGet(path, out _))
            {
                continue;
            }

            if (provider is JsonConfigurationProvider { Source: { Path: { } file, FileProvider: PhysicalFileProvider files } })
            {
                var full = Path.GetFullPath(Path.Combine(files.Root, file));
                // The defaults beside the executable name paths of a checkout or an installation as the documentation shows them,
                // from where the user runs the command.
                return string.Equals(full, Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, OrchestraConfiguration.DefaultFileName)), StringComparison.Ordinal)
                    ? cwd
                    : Path.GetDirectoryName(full) ?? cwd;
            }

            return cwd;
        }

        return cwd;
    }
}
