using System.Collections.Frozen;

namespace Orchestra.Server.Console;

/// <summary>The operator console's files, embedded in this assembly (<c>Console/Assets</c>), read once.</summary>
/// <remarks>Only these names are served: a request names an entry of this table, never a path, so nothing else can be reached.</remarks>
internal static class ConsoleAssets
{
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, Asset> All = Load();

    /// <summary>The asset called <paramref name="name"/> (e.g. <c>app.js</c>), or <see langword="null"/>.</summary>
    public static Asset? Find(string name) => All.GetValueOrDefault(name);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[Prefix.Length..];
            assets[name] = new Asset(buffer.ToArray(), ContentType(name));
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    /// <summary>One file of the console.</summary>
    /// <param name="Content">Its bytes.</param>
    /// <param name="ContentType">Its media type.</param>
    internal sealed record Asset(byte[] Content, string ContentType);
}
