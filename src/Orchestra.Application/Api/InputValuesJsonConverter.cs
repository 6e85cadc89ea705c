using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestra.Application.Api;

/// <summary>
/// Reads the <c>inputs</c> object of a request: a string is taken as it is, a number or a boolean as its JSON text (<c>8080</c>,
/// <c>true</c>), a list or a map as its compact JSON text; the compiler converts each to the input's declared type, as it does
/// the text of <c>--input NAME=VALUE</c>. A <c>null</c> value is refused, naming the input.
/// </summary>
internal sealed class InputValuesJsonConverter : JsonConverter<Dictionary<string, string>>
{
    public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("'inputs' must be a JSON object of input names to values.");
        }

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            inputs[name] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.StartArray or JsonTokenType.StartObject => JsonSerializer.Serialize(JsonElement.ParseValue(ref reader)),
                _ => throw new JsonException($"input '{name}' is null: give it a value (a string, number, boolean, list or map), or leave it out."),
            };
        }

        return inputs;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, text) in value)
        {
            writer.WriteString(name, text);
        }

        writer.WriteEndObject();
    }
}
