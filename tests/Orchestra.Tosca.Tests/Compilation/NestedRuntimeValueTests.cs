using System.Text.Json;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>get_attribute and get_operation_output inside lists and maps compile to <see cref="ListValue"/>s and <see cref="MapValue"/>s.</summary>
[Trait("Category", "Unit")]
public sealed class NestedRuntimeValueTests : IDisposable
{
    private const string Header = "tosca_definitions_version: tosca_simple_yaml_1_3\n";

    private const string AppType = """
        node_types:
          example.App:
            derived_from: tosca.nodes.SoftwareComponent
            properties:
              config: { type: map, required: false }
              servers: { type: list, entry_schema: { type: string }, required: false }
              url: { type: string, required: false }

        """;

    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly Lookup Outputs = new()
    {
        [("db", null, "private_address")] = "10.0.0.1",
        [("db", "Standard.create", "id")] = "db-7",
    };

    private static string Json(PlanValue value) => PlanValue.Render(value.Evaluate(Outputs));

    private CompilationResult CompileOk(string template)
    {
        var result = _files.Compile(Header + template);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(PlanValidator.Validate(result.Plan!));
        return result;
    }

    [Fact]
    public void OperationInputs_WithRuntimeValuesInListsAndMaps_BecomeListAndMapValues()
    {
        var result = CompileOk("""
            topology_template:
              node_templates:
                db:
                  type: tosca.nodes.Compute
                  interfaces: { Standard: { create: orchestra:noop } }
                app:
                  type: tosca.nodes.SoftwareComponent
                  requirements: [ { host: db } ]
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          servers: [ { get_attribute: [ db, private_address ] }, "10.0.0.2" ]
                          config:
                            host: { get_attribute: [ HOST, private_address ] }
                            port: 5432
                            ids: [ { get_operation_output: [ db, Standard, create, id ] } ]
                            url: { concat: [ "pg://", { get_attribute: [ db, private_address ] }, ":5432" ] }
                            tls: { enabled: true, versions: [ "1.2", "1.3" ] }
                          constant: [ a, { b: 1 } ]
            """);
        var inputs = result.Plan!.FindNode("app")!.Operations[0].Inputs;

        var servers = Assert.IsType<ListValue>(inputs["servers"]);
        Assert.Equal(new OutputReference("db", null, "private_address"), servers.Items[0]);
        Assert.Equal("10.0.0.2", Assert.IsType<LiteralValue>(servers.Items[1]).Value.GetString());

        var config = Assert.IsType<MapValue>(inputs["config"]);
        Assert.Equal(["host", "port", "ids", "url", "tls"], config.Entries.Keys);
        Assert.Equal(new OutputReference("db", null, "private_address"), config.Entries["host"]);
        Assert.Equal(new OutputReference("db", "Standard.create", "id"), Assert.IsType<ListValue>(config.Entries["ids"]).Items[0]);
        Assert.IsType<ConcatValue>(config.Entries["url"]);
        Assert.IsType<LiteralValue>(config.Entries["tls"]);  // a constant subtree stays one literal
        Assert.IsType<LiteralValue>(inputs["constant"]);

        Assert.Equal("""["10.0.0.1","10.0.0.2"]""", Json(servers));
        Assert.Equal("""{"host":"10.0.0.1","port":5432,"ids":["db-7"],"url":"pg://10.0.0.1:5432","tls":{"enabled":true,"versions":["1.2","1.3"]}}""", Json(config));
        Assert.Equal("""["a",{"b":1}]""", Json(inputs["constant"]));
    }

    [Fact]
    public void Properties_WithNestedRuntimeValues_ReachInputsThroughGetProperty_AndCanBeIndexed()
    {
        var result = CompileOk(AppType + """
            topology_template:
              node_templates:
                db:
                  type: tosca.nodes.Compute
                app:
                  type: example.App
                  requirements: [ { host: db } ]
                  properties:
                    config: { host: { get_attribute: [ db, private_address ] }, port: 5432, nested: { ips: [ { get_attribute: [ db, private_address ] } ] } }
                    servers: [ "10.0.0.2", { get_attribute: [ HOST, private_address ] } ]
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          config: { get_property: [ SELF, config ] }
                          host: { get_property: [ SELF, config, host ] }
                          port: { get_property: [ SELF, config, port ] }
                          first_ip: { get_property: [ SELF, config, nested, ips, 0 ] }
                          servers: { get_property: [ SELF, servers ] }
                          second: { get_property: [ SELF, servers, 1 ] }
                          first: { get_property: [ SELF, servers, 0 ] }
            """);
        var inputs = result.Plan!.FindNode("app")!.Operations[0].Inputs;

        Assert.Equal("""{"host":"10.0.0.1","port":5432,"nested":{"ips":["10.0.0.1"]}}""", Json(Assert.IsType<MapValue>(inputs["config"])));
        Assert.Equal(new OutputReference("db", null, "private_address"), inputs["host"]);
        Assert.Equal(5432, Assert.IsType<LiteralValue>(inputs["port"]).Value.GetInt32());
        Assert.Equal(new OutputReference("db", null, "private_address"), inputs["first_ip"]);
        Assert.Equal("""["10.0.0.2","10.0.0.1"]""", Json(Assert.IsType<ListValue>(inputs["servers"])));
        Assert.Equal(new OutputReference("db", null, "private_address"), inputs["second"]);
        Assert.Equal("10.0.0.2", Assert.IsType<LiteralValue>(inputs["first"]).Value.GetString());

        // Only values known at compile time become initial attributes.
        Assert.False(result.Plan.FindNode("app")!.Attributes!.ContainsKey("config"));
    }

    [Fact]
    public void IndexingPastAListOrMapWithRuntimeValues_IsAnErrorNamingTheEntry()
    {
        var result = _files.Compile(Header + AppType + """
            topology_template:
              node_templates:
                db: { type: tosca.nodes.Compute }
                app:
                  type: example.App
                  requirements: [ { host: db } ]
                  properties:
                    config: { host: { get_attribute: [ db, private_address ] }, port: 5432 }
                    servers: [ { get_attribute: [ db, private_address ] } ]
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          a: { get_property: [ SELF, config, hots ] }
                          b: { get_property: [ SELF, servers, 3 ] }
            """);
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.InvalidFunction && e.Message.Contains("is a map, which has no entry 'hots'", StringComparison.Ordinal) && e.Suggestion == "did you mean 'host'?");
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.InvalidFunction && e.Message.Contains("is a list of 1 item(s), which has no entry '3'", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Code == ErrorCodes.UnsupportedRuntimeValue);
    }

    [Fact]
    public void IndexingIntoTextComputedAtRunTime_IsStillTOS506()
    {
        var result = _files.Compile(Header + AppType + """
            topology_template:
              node_templates:
                db: { type: tosca.nodes.Compute }
                app:
                  type: example.App
                  requirements: [ { host: db } ]
                  properties:
                    url: { concat: [ "http://", { get_attribute: [ db, private_address ] } ] }
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          part: { get_property: [ SELF, url, 0 ] }
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnsupportedRuntimeValue, error.Code);
        Assert.Contains("text computed when the deployment runs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopologyOutputs_WithRuntimeValuesInListsAndMaps_BecomeListAndMapValues()
    {
        var result = CompileOk("""
            topology_template:
              node_templates:
                db: { type: tosca.nodes.Compute }
              outputs:
                endpoints:
                  value: [ { get_attribute: [ db, private_address ] }, { concat: [ { get_attribute: [ db, private_address ] }, ":22" ] } ]
                summary:
                  value: { address: { get_attribute: [ db, private_address ] }, ports: [ 22 ] }
            """);
        var outputs = result.Plan!.Outputs.ToDictionary(o => o.Name, o => o.Value);
        Assert.Equal("""["10.0.0.1","10.0.0.1:22"]""", Json(Assert.IsType<ListValue>(outputs["endpoints"])));
        Assert.Equal("""{"address":"10.0.0.1","ports":[22]}""", Json(Assert.IsType<MapValue>(outputs["summary"])));
    }

    [Fact]
    public void UnknownTargetsInsideLists_AreStillReportedAtTheFunction()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                app:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          servers: [ "x", { get_attribute: [ dbb, private_address ] } ]
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnknownFunctionTarget, error.Code);
        Assert.Equal(11, error.Location.Line);
    }

    [Theory]
    [InlineData(22, true)]
    [InlineData(24, false)]
    public void RuntimeValue_NestedDeeperThanAPlanHolds_IsTOS506AtTheInnermostValueOverTheLimit(int levels, bool compiles)
    {
        var value = string.Concat(Enumerable.Repeat("[ ", levels)) + "{ get_attribute: [ db, private_address, 0 ] }" + string.Concat(Enumerable.Repeat(" ]", levels));
        var result = _files.Compile(Header + $$"""
            topology_template:
              node_templates:
                db: { type: tosca.nodes.Compute }
                app:
                  type: tosca.nodes.Root
                  interfaces: { Standard: { create: { implementation: orchestra:noop, inputs: { deep: {{value}} } } } }
            """);
        if (compiles)
        {
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            Assert.True(result.Plan!.FindNode("app")!.Operations[0].Inputs["deep"].Depth <= PlanValue.MaxDepth);
            return;
        }

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnsupportedRuntimeValue, error.Code);
        Assert.Contains($"nests {PlanValue.MaxDepth + 2} levels deep", error.Message, StringComparison.Ordinal);
        var line = File.ReadAllLines(result.Template!.Path)[error.Location.Line - 1];
        Assert.Equal(line.IndexOf('[', StringComparison.Ordinal) + 1, error.Location.Column);  // the outermost list: 24 levels are 2 over
    }

    private sealed class Lookup : Dictionary<(string Node, string? Operation, string Name), string>, IOutputLookup
    {
        public bool TryGetOutput(string node, string? operation, string name, out JsonElement value)
        {
            var found = TryGetValue((node, operation, name), out var text);
            value = found ? JsonSerializer.SerializeToElement(text) : default;
            return found;
        }
    }
}
