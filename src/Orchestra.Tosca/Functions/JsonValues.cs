using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;

namespace Orchestra.Tosca.Functions;

/// <summary>Conversions between YAML nodes and JSON values.</summary>
internal static class JsonValues
{
    // As deep as Utf8JsonWriter lets a value nest (its default).
    private const int MaxJsonNesting = 1000;

    public static LiteralValue Literal(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        // JsonDocument's default (64 levels) would reject a constant that the YAML limits allow.
        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxJsonNesting });
        return new LiteralValue(document.RootElement.Clone());
    }

    public static LiteralValue String(string text) => Literal(w => w.WriteStringValue(text));

    public static LiteralValue Null { get; } = Literal(static w => w.WriteNullValue());

    public static void WriteScalar(Utf8JsonWriter writer, YScalar scalar)
    {
        switch (scalar.Kind)
        {
            case ScalarKind.Null:
                writer.WriteNullValue();
                break;
            case ScalarKind.Boolean:
                writer.WriteBooleanValue(scalar.BooleanValue);
                break;
            case ScalarKind.Integer when ScalarResolver.TryGetInteger(scalar.Text, out var l):
                writer.WriteNumberValue(l);
                break;
            case ScalarKind.Float when ScalarResolver.TryGetFloat(scalar.Text, out var d) && double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            default:
                writer.WriteStringValue(scalar.Text);
                break;
        }
    }

    /// <summary>Converts a JSON value (from a caller) to a YAML node, located at <paramref name="location"/>.</summary>
    public static YNode ToNode(JsonElement element, SourceLocation location)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var mapping = new YMapping(location);
                foreach (var property in element.EnumerateObject())
                {
                    mapping.TryAdd(new YScalar(location, property.Name, ScalarKind.String, false), ToNode(property.Value, location));
                }

                return mapping;
            case JsonValueKind.Array:
                return new YSequence(location, element.EnumerateArray().Select(e => ToNode(e, location)).ToList());
            case JsonValueKind.String:
                return new YScalar(location, element.GetString()!, ScalarKind.String, false);
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                return new YScalar(location, raw, element.TryGetInt64(out _) ? ScalarKind.Integer : ScalarKind.Float, true);
            case JsonValueKind.True or JsonValueKind.False:
                return new YScalar(location, element.ValueKind == JsonValueKind.True ? "true" : "false", ScalarKind.Boolean, true);
            default:
                return new YScalar(location, string.Empty, ScalarKind.Null, true);
        }
    }

    /// <summary>Walks into a JSON value by map keys and list indexes.</summary>
    public static bool TryWalk(JsonElement value, string step, out JsonElement result)
    {
        result = default;
        if (value.ValueKind == JsonValueKind.Array && int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index < value.GetArrayLength())
            {
                result = value[index];
                return true;
            }

            return false;
        }

        return value.ValueKind == JsonValueKind.Object && value.TryGetProperty(step, out result);
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "a map",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
