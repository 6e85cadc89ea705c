using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Orchestra.Cli.Commands;

/// <summary>Reads template inputs from <c>--inputs-file</c> and <c>--input NAME=VALUE</c>.</summary>
internal static class InputValues
{
    /// <exception cref="CliUsageException">A malformed --input, or an unreadable inputs file.</exception>
    public static IReadOnlyDictionary<string, string> Read(string[]? pairs, FileInfo? file)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file is not null)
        {
            CliFiles.RequireFile(file, "The inputs file");

            foreach (var (key, value) in ReadFile(file))
            {
                inputs[key] = value;
            }
        }

        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliUsageException($"--input '{pair}' must be NAME=VALUE.");
            }

            inputs[pair[..eq].Trim()] = pair[(eq + 1)..];
        }

        return inputs;
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadFile(FileInfo file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = file.OpenText();
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CliUsageException($"{file.FullName}:{e.Start.Line}:{e.Start.Column}: the inputs file is not valid YAML or JSON: {e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            yield break;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new CliUsageException($"{file.FullName}: the inputs file must be a mapping of input names to values.");
        }

        foreach (var (key, value) in map.Children)
        {
            yield return new(((YamlScalarNode)key).Value ?? string.Empty, Text(value));
        }
    }

    // Scalars as their text; lists and maps as JSON, which the compiler parses against the declared type.
    private static string Text(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        _ => JsonSerializer.Serialize(ToObject(node)),
    };

    private static object? ToObject(YamlNode node) => node switch
    {
        YamlScalarNode s when s.Style is YamlDotNet.Core.ScalarStyle.Plain && long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        YamlScalarNode s when s.Style is YamlDotNet.Core.ScalarStyle.Plain && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        YamlScalarNode s when s.Style is YamlDotNet.Core.ScalarStyle.Plain && s.Value is "true" or "false" => s.Value == "true",
        YamlScalarNode s => s.Value,
        YamlSequenceNode seq => seq.Children.Select(ToObject).ToList(),
        YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? string.Empty, p => ToObject(p.Value)),
        _ => null,
    };
}

/// <summary>A usage error: printed on stderr, exit code 2.</summary>
internal sealed class CliUsageException(string message) : Clients.CliException(message, ExitCodes.InvalidInput);
