using Microsoft.Extensions.Configuration;

namespace Orchestra.Application.Configuration;

/// <summary>
/// Builds the configuration of an Orchestra process, lowest precedence first: <c>orchestra.json</c> beside the
/// executable (a copy of <c>config/orchestra.json</c>), the file named by <c>--config</c> or <c>ORCHESTRA_CONFIG</c>,
/// <c>ORCHESTRA__...</c> environment variables (<c>ORCHESTRA__SERVER__BEARERTOKEN</c> is <c>Orchestra:Server:BearerToken</c>),
/// <c>ORCHESTRA_STORE</c>, then command-line switches.
/// </summary>
public static class OrchestraConfiguration
{
    /// <summary>The configuration file's name beside the executable.</summary>
    public const string DefaultFileName = "orchestra.json";

    /// <summary>Builds the configuration.</summary>
    /// <param name="configFile">A configuration file to add (from <c>--config</c>), or <see langword="null"/> for <c>ORCHESTRA_CONFIG</c> if set.</param>
    /// <param name="overrides">Settings from the command line (e.g. <c>Orchestra:Store:Directory</c> from <c>--store</c>), highest precedence.</param>
    /// <param name="switches">Raw <c>--Orchestra:Key=value</c> arguments, applied after <paramref name="overrides"/>.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FileNotFoundException">The named configuration file does not exist, or is a directory.</exception>
    public static IConfigurationRoot Build(string? configFile, IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyList<string>? switches = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, DefaultFileName), optional: true, reloadOnChange: false);
        configFile ??= Environment.GetEnvironmentVariable("ORCHESTRA_CONFIG") is { Length: > 0 } fromEnv ? fromEnv : null;
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (Directory.Exists(full))
            {
                throw new FileNotFoundException($"The configuration file '{configFile}' is a directory, not a file.", full);
            }

            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"The configuration file '{configFile}' does not exist.", full);
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        var store = Environment.GetEnvironmentVariable("ORCHESTRA_STORE");
        if (!string.IsNullOrWhiteSpace(store))
        {
            builder.AddInMemoryCollection([new("Orchestra:Store:Directory", store)]);
        }

        if (overrides is { Count: > 0 })
        {
            builder.AddInMemoryCollection(overrides);
        }

        if (switches is { Count: > 0 })
        {
            builder.AddCommandLine([.. switches]);
        }

        return builder.Build();
    }
}
