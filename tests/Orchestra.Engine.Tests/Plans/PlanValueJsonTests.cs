using System.Text.Json;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Tests.Plans;

/// <summary>How plan values are journaled: only their data, never what is computed from it.</summary>
[Trait("Category", "Unit")]
public sealed class PlanValueJsonTests
{
    private static readonly JsonSerializerOptions Json = EventSerializer.DefaultJsonOptions;

    private static readonly string[] ComputedProperties = ["isConstant", "depth"];

    private static OutputReference Ip => new("db", "Standard.create", "ip", ["0"]);

    public static TheoryData<string, PlanValue> EveryKind => new()
    {
        { "literal", PlanValue.Literal(new[] { 1, 2 }) },
        { "output", Ip },
        { "concat", new ConcatValue([PlanValue.Literal("http://"), Ip]) },
        { "join", new JoinValue([Ip, PlanValue.Literal("x")], ",") },
        { "token", new TokenValue(Ip, ".", 1) },
        { "list", new ListValue([Ip, PlanValue.Literal("10.0.0.2")]) },
        { "map", new MapValue(new Dictionary<string, PlanValue> { ["host"] = Ip, ["inner"] = new ListValue([new TokenValue(Ip, ".", 0)]) }) },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Serialize_EveryKind_WritesNoComputedProperty(string kind, PlanValue value)
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(value, Json));

        Assert.Equal(kind, document.RootElement.GetProperty("kind").GetString());
        var names = PropertyNames(document.RootElement).ToList();
        Assert.NotEmpty(names);
        Assert.All(ComputedProperties, computed => Assert.DoesNotContain(computed, names, StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Deserialize_JsonWrittenWithIsConstant_StillReads(string kind, PlanValue value)
    {
        var current = JsonSerializer.Serialize(value, Json);
        var old = WithIsConstant(current);
        Assert.Contains("\"isConstant\"", old, StringComparison.Ordinal);

        var read = JsonSerializer.Deserialize<PlanValue>(old, Json);

        Assert.NotNull(read);
        Assert.Equal(value.GetType(), read.GetType());
        Assert.Equal(current, JsonSerializer.Serialize(read, Json));
        Assert.Equal(value.IsConstant, read.IsConstant);
        Assert.Equal(kind, JsonDocument.Parse(old).RootElement.GetProperty("kind").GetString());
    }

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };

    // The shape the engine wrote before [JsonIgnore] reached the overrides: "isConstant" after every value's own fields.
    private static string WithIsConstant(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        AddIsConstant(node);
        return node.ToJsonString();
    }

    private static void AddIsConstant(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject o when o["kind"] is not null:
                foreach (var (name, child) in o.ToList())
                {
                    if (name != "value")
                    {
                        AddIsConstant(child);
                    }
                }

                o["isConstant"] = (string?)o["kind"] == "literal";
                break;
            case System.Text.Json.Nodes.JsonObject o:
                foreach (var (_, child) in o.ToList())
                {
                    AddIsConstant(child);
                }

                break;
            case System.Text.Json.Nodes.JsonArray a:
                foreach (var child in a.ToList())
                {
                    AddIsConstant(child);
                }

                break;
        }
    }
}
