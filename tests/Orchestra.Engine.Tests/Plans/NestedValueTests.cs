using System.Text;
using System.Text.Json;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;
using Orchestra.Engine.Tests.Deployments;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Plans;

[Trait("Category", "Unit")]
public sealed class NestedValueTests
{
    // Written by the engine before ListValue and MapValue existed (every kind of the time, nested): journals hold such plans.
    private const string OldSubmittedJson = """
        {"deploymentId":"old","plan":{"name":"test","nodes":[{"name":"server","type":"test","operations":[{"name":"Standard.create","implementation":"test:ok","inputs":{},"timeout":null,"retry":null,"revert":null,"after":null,"dependencies":null,"description":null}],"teardown":[],"dependsOn":[],"failureAction":null,"attributes":null},{"name":"client","type":"test","operations":[{"name":"Standard.create","implementation":"test:ok","inputs":{"LIT":{"kind":"literal","value":["a",1,true],"isConstant":true},"REF":{"kind":"output","node":"server","operation":"Standard.create","name":"ip","path":["0"],"isConstant":false},"CAT":{"kind":"concat","parts":[{"kind":"literal","value":"http://","isConstant":true},{"kind":"output","node":"server","operation":null,"name":"ip","path":null,"isConstant":false}],"isConstant":false},"JOIN":{"kind":"join","parts":[{"kind":"output","node":"server","operation":null,"name":"ip","path":null,"isConstant":false},{"kind":"literal","value":"x","isConstant":true}],"delimiter":",","isConstant":false},"TOK":{"kind":"token","source":{"kind":"output","node":"server","operation":null,"name":"ip","path":null,"isConstant":false},"separators":".","index":1,"isConstant":false}},"timeout":null,"retry":null,"revert":null,"after":null,"dependencies":null,"description":null}],"teardown":[],"dependsOn":["server"],"failureAction":null,"attributes":null}],"outputs":[],"baseDirectory":null,"failureAction":0,"operationCount":2},"options":{"failureAction":null,"inputs":null,"labels":null},"at":"2025-01-02T03:04:05+00:00"}
        """;

    private static readonly EventSerializer Serializer = new(DeploymentEventTypes.Register(new EventTypeRegistry()));

    private static OutputReference Ip => new("db", null, "ip");

    private static ListValue Servers => new([Ip, PlanValue.Literal("10.0.0.2")]);

    private static MapValue Config => new(new Dictionary<string, PlanValue>
    {
        ["host"] = Ip,
        ["port"] = PlanValue.Literal(5432),
        ["replicas"] = new ListValue([new OutputReference("db", "Standard.create", "replica"), new ConcatValue([Ip, PlanValue.Literal(":5433")])]),
        ["tls"] = PlanValue.Literal(new Dictionary<string, object> { ["on"] = true }),
    });

    private static string Json(PlanValue value, IOutputLookup outputs) => PlanValue.Render(value.Evaluate(outputs));

    [Fact]
    public void List_EvaluatesToAnArrayOfItsItems_InOrder()
    {
        var outputs = new Outputs { [("db", null, "ip")] = "10.0.0.1" };
        Assert.Equal("""["10.0.0.1","10.0.0.2"]""", Json(Servers, outputs));
        Assert.Equal(JsonValueKind.Array, Servers.Evaluate(outputs).ValueKind);
    }

    [Fact]
    public void Map_EvaluatesToAnObject_KeepingEntryOrderAndTheKindsOfLiterals()
    {
        var outputs = new Outputs { [("db", null, "ip")] = "10.0.0.1", [("db", "Standard.create", "replica")] = "10.0.0.9" };
        Assert.Equal("""{"host":"10.0.0.1","port":5432,"replicas":["10.0.0.9","10.0.0.1:5433"],"tls":{"on":true}}""", Json(Config, outputs));
    }

    [Fact]
    public void NestedReference_NobodyProduced_IsNullInPlace()
    {
        Assert.Equal("""[null,"10.0.0.2"]""", Json(Servers, new Outputs()));
        Assert.Equal("""{"host":null,"port":5432,"replicas":[null,":5433"],"tls":{"on":true}}""", Json(Config, new Outputs()));
    }

    [Fact]
    public void NestedCollections_InsideConcat_RenderAsJsonText()
    {
        var value = new ConcatValue([PlanValue.Literal("servers="), Servers]);
        Assert.Equal("""servers=["10.0.0.1","10.0.0.2"]""", Json(value, new Outputs { [("db", null, "ip")] = "10.0.0.1" }));
    }

    [Fact]
    public void IsConstant_OnlyWhenEveryChildIs()
    {
        Assert.False(Servers.IsConstant);
        Assert.False(Config.IsConstant);
        Assert.True(new ListValue([PlanValue.Literal(1), new MapValue(new Dictionary<string, PlanValue> { ["a"] = PlanValue.Literal("b") })]).IsConstant);
        Assert.True(new ListValue([]).IsConstant);
        Assert.True(new MapValue(new Dictionary<string, PlanValue>()).IsConstant);
        Assert.Equal("[]", Json(new ListValue([]), new Outputs()));
        Assert.Equal("{}", Json(new MapValue(new Dictionary<string, PlanValue>()), new Outputs()));
    }

    [Fact]
    public void References_ReachEveryNestedReference()
    {
        Assert.Equal(
            [Ip, new OutputReference("db", "Standard.create", "replica"), Ip],
            new ListValue([Config, PlanValue.Literal("x")]).References());
    }

    [Fact]
    public void Validator_ChecksReferencesNestedInListsAndMaps_InInputsAndOutputs()
    {
        var input = new MapValue(new Dictionary<string, PlanValue>
        {
            ["hosts"] = new ListValue([PlanValue.Literal("a"), new OutputReference("ghost", null, "ip")]),
            ["op"] = new ListValue([new OutputReference("db", "Standard.nope", "x")]),
        });
        var plan = Plan(Node("db"), Node("app", ["db"], ops: [Op("create", inputs: new Dictionary<string, PlanValue> { ["CONFIG"] = input })]))
            with { Outputs = [new PlanOutput("all", new ListValue([new MapValue(new Dictionary<string, PlanValue> { ["x"] = new OutputReference("phantom", null, "ip") })]))] };

        var errors = PlanValidator.Validate(plan).Select(e => e.Message).ToList();

        Assert.Contains("input 'CONFIG' of operation 'create' of node 'app' refers to unknown node 'ghost'", errors);
        Assert.Contains("input 'CONFIG' of operation 'create' of node 'app' refers to unknown operation 'Standard.nope' of node 'db'", errors);
        Assert.Contains("output 'all' refers to unknown node 'phantom'", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void ListsAndMaps_SurviveTheJournal_AsDeploymentSubmitted()
    {
        var plan = Plan(Node("db"), Node("app", ["db"], ops: [Op("create", inputs: new Dictionary<string, PlanValue> { ["SERVERS"] = Servers, ["CONFIG"] = Config })]))
            with { Outputs = [new PlanOutput("config", Config)] };
        var serialized = Serializer.Serialize(new DeploymentSubmitted(DateTimeOffset.UnixEpoch, "d", plan, SubmitOptions.Default));

        var read = (DeploymentSubmitted)Serializer.Deserialize(serialized.Manifest, serialized.Payload);

        var inputs = read.Plan.FindNode("app")!.Operations[0].Inputs;
        var servers = Assert.IsType<ListValue>(inputs["SERVERS"]);
        Assert.Equal(Ip, servers.Items[0]);
        var config = Assert.IsType<MapValue>(inputs["CONFIG"]);
        Assert.Equal(["host", "port", "replicas", "tls"], config.Entries.Keys);
        Assert.IsType<ListValue>(config.Entries["replicas"]);
        Assert.IsType<MapValue>(read.Plan.Outputs[0].Value);
        var outputs = new Outputs { [("db", null, "ip")] = "10.0.0.1", [("db", "Standard.create", "replica")] = "10.0.0.9" };
        Assert.Equal(Json(Config, outputs), Json(config, outputs));
        Assert.Equal(Json(Servers, outputs), Json(servers, outputs));
        Assert.Contains("\"kind\":\"list\"", Encoding.UTF8.GetString(serialized.Payload), StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"map\"", Encoding.UTF8.GetString(serialized.Payload), StringComparison.Ordinal);
    }

    [Fact]
    public void AJournaledPlanWithTheEarlierKinds_StillReadsUnchanged()
    {
        var read = (DeploymentSubmitted)Serializer.Deserialize("engine.deployment-submitted.v1", Encoding.UTF8.GetBytes(OldSubmittedJson));

        var inputs = read.Plan.FindNode("client")!.Operations[0].Inputs;
        Assert.IsType<LiteralValue>(inputs["LIT"]);
        var reference = Assert.IsType<OutputReference>(inputs["REF"]);
        Assert.Equal(("server", "Standard.create", "ip"), (reference.Node, reference.Operation, reference.Name));
        Assert.Equal(["0"], reference.Path!);
        Assert.IsType<ConcatValue>(inputs["CAT"]);
        Assert.Equal(",", Assert.IsType<JoinValue>(inputs["JOIN"]).Delimiter);
        Assert.Equal(1, Assert.IsType<TokenValue>(inputs["TOK"]).Index);
        var outputs = new Outputs { [("server", null, "ip")] = "10.0.0.1", [("server", "Standard.create", "ip")] = "[\"10.9.9.9\"]" };
        Assert.Equal("""["a",1,true]""", Json(inputs["LIT"], outputs));
        Assert.Equal("10.9.9.9", Json(inputs["REF"], outputs));
        Assert.Equal("http://10.0.0.1", Json(inputs["CAT"], outputs));
        Assert.Equal("10.0.0.1,x", Json(inputs["JOIN"], outputs));
        Assert.Equal("0", Json(inputs["TOK"], outputs));

        // Written again, the earlier kinds keep their exact shape, less the computed "isConstant" no longer written.
        var stored = JsonDocument.Parse(OldSubmittedJson).RootElement.GetProperty("plan").GetProperty("nodes")[1].GetProperty("operations")[0].GetProperty("inputs").GetRawText();
        Assert.Equal(stored.Replace(",\"isConstant\":true", string.Empty, StringComparison.Ordinal).Replace(",\"isConstant\":false", string.Empty, StringComparison.Ordinal),
            JsonSerializer.Serialize(inputs, EventSerializer.DefaultJsonOptions));
    }

    [Fact]
    public void State_RendersANestedInput_WithTheEarlierOutputAndTheInitialAttributes()
    {
        var config = new MapValue(new Dictionary<string, PlanValue>
        {
            ["host"] = new OutputReference("db", "create", "ip"),
            ["port"] = new OutputReference("db", null, "port"),
            ["all"] = new ListValue([new OutputReference("db", null, "ip"), PlanValue.Literal("10.0.0.2")]),
        });
        var m = new Machine(Plan(
            Node("db", attributes: new Dictionary<string, PlanValue> { ["port"] = PlanValue.Literal(5432) }),
            Node("app", ["db"], ops: [Op("create", inputs: new Dictionary<string, PlanValue> { ["CONFIG"] = config })])));

        m.Succeed(m.Step().Single(), ("ip", "10.0.0.1"));
        var request = m.State.CreateRequest(m.Step().Single(), TimeSpan.FromMinutes(1));

        Assert.Equal("""{"host":"10.0.0.1","port":5432,"all":["10.0.0.1","10.0.0.2"]}""", request.Inputs["CONFIG"]);
    }

    [Fact]
    public void Depth_CountsTheJsonLevelsOfTheJournaledForm()
    {
        Assert.Equal(1, PlanValue.Literal(5).Depth);
        Assert.Equal(3, PlanValue.Literal(new[] { new[] { 1 } }).Depth);
        Assert.Equal(1, Ip.Depth);
        Assert.Equal(2, (Ip with { Path = ["0"] }).Depth);
        Assert.Equal(3, new ConcatValue([PlanValue.Literal("a"), Ip]).Depth);
        Assert.Equal(2, new TokenValue(Ip, ".", 0).Depth);
        Assert.Equal(2, new ListValue([]).Depth);
        Assert.Equal(5, new MapValue(new Dictionary<string, PlanValue> { ["a"] = new ListValue([Ip]) }).Depth);
    }

    [Fact]
    public void AValueAsDeepAsAllowed_IsAcceptedAndJournaled_EvenInARevert_AndOneLevelMoreIsRejected()
    {
        var deepest = Nest(new OutputReference("db", null, "ip", ["0"]), 23);
        Assert.Equal(PlanValue.MaxDepth, deepest.Depth);
        var inputs = new Dictionary<string, PlanValue> { ["DEEP"] = deepest };
        var plan = Plan(Node("db"), Node("app", ["db"], ops: [Op("create", inputs: inputs, revert: Op("delete", inputs: inputs))], attributes: inputs))
            with { Outputs = [new PlanOutput("deep", deepest)] };

        Assert.Empty(PlanValidator.Validate(plan));
        var serialized = Serializer.Serialize(new DeploymentSubmitted(DateTimeOffset.UnixEpoch, "d", plan, SubmitOptions.Default));
        var read = (DeploymentSubmitted)Serializer.Deserialize(serialized.Manifest, serialized.Payload);
        Assert.Equal(PlanValue.MaxDepth, read.Plan.FindNode("app")!.Operations[0].Revert!.Inputs["DEEP"].Depth);

        var tooDeep = new Dictionary<string, PlanValue> { ["DEEP"] = new ListValue([deepest]) };
        var errors = PlanValidator.Validate(Plan(Node("db"), Node("app", ["db"], ops: [Op("create", inputs: tooDeep, revert: Op("delete", inputs: tooDeep))], attributes: tooDeep))
            with { Outputs = [new PlanOutput("deep", tooDeep["DEEP"])] }).Select(e => e.Message).ToList();
        Assert.Equal(
            [
                $"attribute 'DEEP' of node 'app' nests 50 levels deep; a plan value may nest at most {PlanValue.MaxDepth}",
                $"input 'DEEP' of operation 'create' of node 'app' nests 50 levels deep; a plan value may nest at most {PlanValue.MaxDepth}",
                $"input 'DEEP' of the revert of operation 'create' of node 'app' nests 50 levels deep; a plan value may nest at most {PlanValue.MaxDepth}",
                $"output 'deep' nests 50 levels deep; a plan value may nest at most {PlanValue.MaxDepth}",
            ],
            errors);
    }

    [Fact]
    public void Validator_ChecksReferencesInARevertsInputs()
    {
        var revert = Op("delete", inputs: new Dictionary<string, PlanValue> { ["X"] = new ListValue([new OutputReference("ghost", null, "ip")]) });
        var errors = PlanValidator.Validate(Plan(Node("app", ops: [Op("create", revert: revert)])));
        Assert.Equal("input 'X' of the revert of operation 'create' of node 'app' refers to unknown node 'ghost'", Assert.Single(errors).Message);
    }

    private static PlanValue Nest(PlanValue value, int levels)
    {
        for (var i = 0; i < levels; i++)
        {
            value = new ListValue([value]);
        }

        return value;
    }

    private sealed class Outputs : Dictionary<(string Node, string? Operation, string Name), string>, IOutputLookup
    {
        public bool TryGetOutput(string node, string? operation, string name, out JsonElement value)
        {
            var found = TryGetValue((node, operation, name), out var text);
            value = found ? JsonSerializer.SerializeToElement(text) : default;
            return found;
        }
    }
}
