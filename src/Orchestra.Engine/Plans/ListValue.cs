using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestra.Engine.Plans;

/// <summary>A list whose items may be computed at run time (a TOSCA list holding <c>get_attribute</c> or <c>get_operation_output</c>).</summary>
/// <remarks>
/// It evaluates to a JSON array of its items' values, in order: a run-time reference keeps the JSON kind of what it finds
/// (operation outputs are strings), a missing one becomes <c>null</c>. Executors receive the array as compact JSON text
/// (<see cref="PlanValue.Render"/>). A list known at compile time is a <see cref="LiteralValue"/> instead.
/// </remarks>
/// <param name="Items">The items, in order.</param>
public sealed record ListValue(IReadOnlyList<PlanValue> Items) : PlanValue
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override bool IsConstant => Items.All(static i => i.IsConstant);

    /// <inheritdoc/>
    [JsonIgnore]
    public override int Depth => 2 + Items.Select(static i => i.Depth).DefaultIfEmpty(0).Max();

    /// <inheritdoc/>
    public override JsonElement Evaluate(IOutputLookup outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return Build(w =>
        {
            w.WriteStartArray();
            foreach (var item in Items)
            {
                item.Evaluate(outputs).WriteTo(w);
            }

            w.WriteEndArray();
        });
    }

    /// <inheritdoc/>
    public override IEnumerable<OutputReference> References() => Items.SelectMany(static i => i.References());

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}
