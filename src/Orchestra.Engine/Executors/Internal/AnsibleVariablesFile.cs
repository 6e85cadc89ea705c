using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// Writes an operation's inputs as the YAML file ansible-playbook reads with <c>-e @file</c>. Every string is double-quoted with
/// YAML escapes and tagged <c>!unsafe</c>, so a value holding quotes, <c>$(...)</c>, line breaks or Jinja (<c>{{ ... }}</c>) reaches
/// the playbook as the very text it was and is never templated; numbers, booleans, null, lists and maps keep their kind.
/// </summary>
internal static class AnsibleVariablesFile
{
    /// <summary>The file's text: one <c>"name": value</c> line per input, in name order.</summary>
    /// <param name="request">The attempt, whose <see cref="OperationRequest.InputValues"/> are used when set, else its rendered <see cref="OperationRequest.Inputs"/> as strings.</param>
    public static string Render(OperationRequest request)
    {
        // An empty file is no mapping to ansible-playbook: without inputs the file is an empty map.
        var text = new StringBuilder(request.Inputs.Count == 0 ? "--- {}\n" : "---\n");
        foreach (var (name, value) in request.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            Quoted(text, name);
            text.Append(": ");
            if (request.InputValues?.TryGetValue(name, out var element) == true)
            {
                Value(text, element);
            }
            else
            {
                UnsafeString(text, value);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes one value in YAML flow style.</summary>
    public static void Value(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                UnsafeString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                // YAML 1.1 (PyYAML) reads 1e3 as a string: anything but an integer gets an explicit float tag.
                text.Append(raw.All(c => char.IsAsciiDigit(c) || c == '-') ? raw : "!!float " + raw);
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(first ? string.Empty : ", ");
                    first = false;
                    Value(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.Object:
                text.Append('{');
                var firstProperty = true;
                foreach (var property in value.EnumerateObject())
                {
                    text.Append(firstProperty ? string.Empty : ", ");
                    firstProperty = false;
                    Quoted(text, property.Name);
                    text.Append(": ");
                    Value(text, property.Value);
                }

                text.Append('}');
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void UnsafeString(StringBuilder text, string value)
    {
        text.Append("!unsafe ");
        Quoted(text, value);
    }

    // A YAML double-quoted scalar: everything PyYAML would not read back as itself (C0 and C1 controls, the YAML 1.1 line breaks
    // U+0085, U+2028 and U+2029, non-characters, a lone surrogate) is escaped, the rest written as it is.
    private static void Quoted(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                text.Append("\\uFFFD");
            }
            else if (c == '"' || c == '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < 0x20 || c is >= '\u007f' and <= '\u00a0' || c is '\u2028' or '\u2029' or '\ufeff' or '\ufffe' or '\uffff')
            {
                text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }
}
