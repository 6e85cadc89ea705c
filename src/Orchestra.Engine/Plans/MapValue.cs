using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestra.Engine.Plans;

/// <summary>A map whose values may be computed at run time (a TOSCA map holding <c>get_attribute</c> or <c>get_operation_output</c>).</summary>
/// <remarks>
/// It evaluates to a JSON object with the entries in the dictionary's order: a run-time reference keeps the JSON kind of what
/// it finds (operation outputs are strings), a missing one becomes <c>null</c>. Executors receive the object as compact JSON
/// text (<see cref="PlanValue.Render"/>). A map known at compile time is a <see cref="LiteralValue"/> instead.
/// </remarks>
/// <param name="Entries">The entries: key to value.</param>
public sealed record MapValue(IReadOnlyDictionary<string, PlanValue> Entries) : PlanValue
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override bool IsConstant => Entries.Values.All(static v => v.IsConstant);

    /// <inheritdoc/>
    [JsonIgnore]
    public override int Depth => 2 + Entries.Values.Select(static v => v.Depth).DefaultIfEmpty(0).Max();

    /// <inheritdoc/>
    public override JsonElement Evaluate(IOutputLookup outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return Build(w =>
        {
            w.WriteStartObject();
            foreach (var (key, value) in Entries)
            {
                w.WritePropertyName(key);
                value.Evaluate(outputs).WriteTo(w);
            }

            w.WriteEndObject();
        });
    }

    /// <inheritdoc/>
    public override IEnumerable<OutputReference> References() => Entries.Values.SelectMany(static v => v.References());

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(", ", Entries.Select(static e => $"{e.Key}: {e.Value}")) + "}";
}
