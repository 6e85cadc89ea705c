namespace Orchestra.Engine.Executors;

/// <summary>Parses the <c>ORCHESTRA_OUTPUTS</c> file: <c>key=value</c> lines become outputs.</summary>
public static class OutputsFile
{
    /// <summary>
    /// Parses the text of an outputs file. Lines are split at the first <c>=</c>; the key is trimmed and must consist of ASCII letters,
    /// digits, <c>_</c>, <c>.</c> and <c>-</c>; the value is kept as written (without the line break). Blank lines and lines starting with
    /// <c>#</c> are skipped; any other line, and a value containing a NUL character, is ignored with a warning. A repeated key keeps its last value.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="warnings">Receives one message per ignored line.</param>
    /// <returns>The outputs.</returns>
    public static Dictionary<string, string> Parse(string text, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(warnings);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : string.Empty;
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                warnings.Add($"ORCHESTRA_OUTPUTS line {number} ignored: expected key=value, got '{Shorten(line)}'");
                continue;
            }

            var value = line[(equals + 1)..];
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                warnings.Add($"ORCHESTRA_OUTPUTS line {number} ignored: the value of '{key}' contains a NUL character");
                continue;
            }

            outputs[key] = value;
        }

        return outputs;
    }

    private static string Shorten(string line)
    {
        var printable = new string([.. line.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
        return line.Length > 60 ? printable + "..." : printable;
    }
}
