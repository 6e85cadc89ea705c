using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestra.Engine.Plans;

/// <summary>
/// A value in a plan: a literal known at compile time, or an expression over the outputs that
/// operations produce at run time (TOSCA <c>get_attribute</c>, <c>get_operation_output</c>,
/// <c>concat</c>/<c>join</c>/<c>token</c> over them, and lists and maps holding them).
/// </summary>
/// <remarks>
/// Values are immutable and serialize polymorphically under the <c>kind</c> property. A kind, once
/// journaled, keeps its name and shape: plans live in the journal of every deployment.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LiteralValue), "literal")]
[JsonDerivedType(typeof(OutputReference), "output")]
[JsonDerivedType(typeof(ConcatValue), "concat")]
[JsonDerivedType(typeof(JoinValue), "join")]
[JsonDerivedType(typeof(TokenValue), "token")]
[JsonDerivedType(typeof(ListValue), "list")]
[JsonDerivedType(typeof(MapValue), "map")]
public abstract record PlanValue
{
    /// <summary>Whether the value is known without running anything.</summary>
    [JsonIgnore]
    public abstract bool IsConstant { get; }

    /// <summary>The deepest a value may nest (<see cref="Depth"/>) in a plan that <see cref="PlanValidator"/> accepts.</summary>
    /// <remarks>
    /// Plans are journaled as JSON, and the journal reads and writes at most 64 levels; a value sits up to 9 levels down in a
    /// plan (an input of an operation's revert), and the rest is kept spare for envelopes that carry a plan (API responses).
    /// In TOSCA terms: about 23 levels of lists or maps around a run-time reference, or any constant a template can write.
    /// </remarks>
    public const int MaxDepth = 48;

    /// <summary>How many levels of JSON the value takes when its plan is journaled: 1 for a scalar literal or a reference without a path, one or two more per level of lists, maps and expressions inside it.</summary>
    [JsonIgnore]
    public abstract int Depth { get; }

    /// <summary>Evaluates the value against the outputs produced so far.</summary>
    /// <param name="outputs">Where run-time references are looked up.</param>
    /// <returns>The value; JSON <c>null</c> when a reference names something nobody produced.</returns>
    public abstract JsonElement Evaluate(IOutputLookup outputs);

    /// <summary>The run-time references inside this value, for dependency checks and display.</summary>
    public virtual IEnumerable<OutputReference> References() => [];

    /// <summary>Creates a literal from any JSON-serializable CLR value.</summary>
    /// <param name="value">The value: a string, number, boolean, list, dictionary or <see langword="null"/>.</param>
    /// <returns>The literal.</returns>
    public static LiteralValue Literal(object? value) => new(JsonSerializer.SerializeToElement(value));

    /// <summary>
    /// Renders an evaluated value the way executors receive it: strings as they are, numbers and
    /// booleans as their JSON text, null as the empty string, lists and maps as compact JSON.
    /// </summary>
    /// <param name="value">An evaluated value.</param>
    /// <returns>The text form.</returns>
    public static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private protected static JsonElement Text(string text) => JsonSerializer.SerializeToElement(text);

    // As deep as Utf8JsonWriter lets a value nest; JsonDocument's default (64) would reject what the writer wrote.
    private const int MaxNesting = 1000;

    private protected static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxNesting });
        return document.RootElement.Clone();
    }

    private protected static JsonElement Null { get; } = JsonSerializer.SerializeToElement<object?>(null);
}

/// <summary>Looks up the outputs that operations have produced in a running deployment.</summary>
public interface IOutputLookup
{
    /// <summary>Finds an output.</summary>
    /// <param name="node">The node that produced it.</param>
    /// <param name="operation">
    /// The operation that produced it, or <see langword="null"/> for a node attribute: the most
    /// recent output of that name from any of the node's operations, else the node's initial attribute.
    /// </param>
    /// <param name="name">The output's name.</param>
    /// <param name="value">The value, when found.</param>
    /// <returns>Whether the output exists.</returns>
    bool TryGetOutput(string node, string? operation, string name, out JsonElement value);
}

/// <summary>A value known at compile time.</summary>
/// <param name="Value">The JSON value.</param>
public sealed record LiteralValue(JsonElement Value) : PlanValue
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override bool IsConstant => true;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int Depth => 1 + DepthOf(Value);

    /// <inheritdoc/>
    public override JsonElement Evaluate(IOutputLookup outputs) => Value;

    private static int DepthOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => 1 + value.EnumerateArray().Select(DepthOf).DefaultIfEmpty(0).Max(),
        JsonValueKind.Object => 1 + value.EnumerateObject().Select(static p => DepthOf(p.Value)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <inheritdoc/>
    public override string ToString() => Value.GetRawText();
}

/// <summary>A reference to an output or attribute of a node, resolved when it is needed.</summary>
/// <param name="Node">The node that produces the value.</param>
/// <param name="Operation">The producing operation, or <see langword="null"/> for a node attribute.</param>
/// <param name="Name">The output or attribute name.</param>
/// <param name="Path">List indexes or map keys to walk into the value (JSON text is parsed first).</param>
public sealed record OutputReference(string Node, string? Operation, string Name, IReadOnlyList<string>? Path = null) : PlanValue
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override bool IsConstant => false;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int Depth => Path is null ? 1 : 2;

    /// <inheritdoc/>
    public override JsonElement Evaluate(IOutputLookup outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (!outputs.TryGetOutput(Node, Operation, Name, out var value))
        {
            return Null;
        }

        foreach (var step in Path ?? [])
        {
            if (value.ValueKind == JsonValueKind.String && TryParseJson(value.GetString()!, out var parsed))
            {
                value = parsed;
            }

            if (value.ValueKind == JsonValueKind.Array && int.TryParse(step, out var index)
                && index >= 0 && index < value.GetArrayLength())
            {
                value = value[index];
            }
            else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(step, out var property))
            {
                value = property;
            }
            else
            {
                return Null;
            }
        }

        return value;
    }

    /// <inheritdoc/>
    public override IEnumerable<OutputReference> References() => [this];

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Node}.{(Operation is null ? string.Empty : Operation + ".")}{Name}{(Path is { Count: > 0 } ? "[" + string.Join("][", Path) + "]" : string.Empty)}";

    private static bool TryParseJson(string text, out JsonElement value)
    {
        value = default;
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || (trimmed[0] != '[' && trimmed[0] != '{'))
        {
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize<JsonElement>(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>The concatenation of the text forms of several values.</summary>
/// <param name="Parts">The values to concatenate.</param>
public sealed record ConcatValue(IReadOnlyList<PlanValue> Parts) : PlanValue
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override bool IsConstant => Parts.All(static p => p.IsConstant);

    /// <inheritdoc/>
    [JsonIgnore]
    public override int Depth => 2 + Parts.Select(static p => p.Depth).DefaultIfEmpty(0).Max();

    /// <inheritdoc/>
    public override JsonElement Evaluate(IOutputLookup outputs) =>
        Text(string.Concat(Parts.Select(p => Render(p.Evaluate(outputs)))));

    /// <inheritdoc/>
    public override IEnumerable<OutputReference> References() => Parts.SelectMany(static p => p.References());
}

/// <summary>The text forms of several values joined with a delimiter.</summary>
/// <param name="Parts">The values to join.</param>
/// <param name="Delimiter">The text between two parts.</param>
public sealed record JoinValue(IReadOnlyList<PlanValue> Parts, string Delimiter) : PlanValue
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override bool IsConstant => Parts.All(static p => p.IsConstant);

    /// <inheritdoc/>
    [JsonIgnore]
    public override int Depth => 2 + Parts.Select(static p => p.Depth).DefaultIfEmpty(0).Max();

    /// <inheritdoc/>
    public override JsonElement Evaluate(IOutputLookup outputs) =>
        Text(string.Join(Delimiter, Parts.Select(p => Render(p.Evaluate(outputs)))));

    /// <inheritdoc/>
    public override IEnumerable<OutputReference> References() => Parts.SelectMany(static p => p.References());
}

/// <summary>One token of a value's text form, split on any of a set of separator characters.</summary>
/// <param name="Source">The value to split.</param>
/// <param name="Separators">The separator characters.</param>
/// <param name="Index">The 0-based index of the token to take.</param>
public sealed record TokenValue(PlanValue Source, string Separators, int Index) : PlanValue
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override bool IsConstant => Source.IsConstant;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int Depth => 1 + Source.Depth;

    /// <inheritdoc/>
    public override JsonElement Evaluate(IOutputLookup outputs)
    {
        var tokens = Render(Source.Evaluate(outputs)).Split(Separators.ToCharArray());
        return Index >= 0 && Index < tokens.Length ? Text(tokens[Index]) : Null;
    }

    /// <inheritdoc/>
    public override IEnumerable<OutputReference> References() => Source.References();
}
