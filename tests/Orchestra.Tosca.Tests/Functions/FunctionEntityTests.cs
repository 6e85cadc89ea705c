using System.Text.Json;
using Orchestra.Engine.Plans;

namespace Orchestra.Tosca.Tests.Functions;

/// <summary>
/// TOSCA 1.3 chapter 4: get_property/get_attribute through a requirement or capability name, SELF in a relationship's
/// operations, relationship templates as entities, token with several separator characters.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FunctionEntityTests : IDisposable
{
    private const string Header = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private PlanOperation Compile(string template, string node, string operation)
    {
        var result = _files.Compile(Header + template);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Plan!.FindNode(node)!.Operations.Single(o => o.Name == operation);
    }

    [Fact]
    public void GetAttributeAndProperty_ThroughARequirementName_ReadTheTarget()
    {
        var op = Compile("""
            topology_template:
              node_templates:
                app:
                  type: tosca.nodes.SoftwareComponent
                  requirements: [ { host: server } ]
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          address: { get_attribute: [ SELF, host, private_address ] }
                          cpus: { get_property: [ SELF, host, num_cpus ] }
                          port: { get_attribute: [ SELF, host, endpoint, port ] }
                server:
                  type: tosca.nodes.Compute
                  capabilities:
                    host: { properties: { num_cpus: 2 } }
            """, "app", "Standard.create");

        var address = Assert.IsType<OutputReference>(op.Inputs["address"]);
        Assert.Equal(("server", "private_address"), (address.Node, address.Name));
        Assert.Equal(2, Assert.IsType<LiteralValue>(op.Inputs["cpus"]).Value.GetInt32());
        var port = Assert.IsType<OutputReference>(op.Inputs["port"]);
        Assert.Equal(("server", "endpoint.port"), (port.Node, port.Name));
    }

    [Fact]
    public void RelationshipTypeOperation_SelfIsTheRelationship_WithSourceAndTarget()
    {
        _files.Write("connect.sh", "#!/bin/bash\n");
        var op = Compile("""
            relationship_types:
              test.ConnectsTo:
                derived_from: tosca.relationships.ConnectsTo
                properties:
                  channel: { type: string, default: blue }
                attributes:
                  session: { type: string, default: none }
                interfaces:
                  Configure:
                    pre_configure_source:
                      implementation: connect.sh
                      inputs:
                        channel: { get_property: [ SELF, channel ] }
                        session: { get_attribute: [ SELF, session ] }
                        state: { get_attribute: [ SELF, tosca_name ] }
                        source: { get_property: [ SOURCE, component_version ] }
                        target: { get_attribute: [ TARGET, public_address ] }
            topology_template:
              node_templates:
                app:
                  type: tosca.nodes.SoftwareComponent
                  properties: { component_version: "1.2" }
                  requirements:
                    - host: server
                    - dependency: { node: server, relationship: test.ConnectsTo }
                server: { type: tosca.nodes.Compute }
            """, "app", "Configure.pre_configure_source@server");

        Assert.Equal("blue", Assert.IsType<LiteralValue>(op.Inputs["channel"]).Value.GetString());
        Assert.Equal("none", Assert.IsType<LiteralValue>(op.Inputs["session"]).Value.GetString());
        Assert.NotNull(op.Inputs["state"]);
        Assert.Equal("1.2", Assert.IsType<LiteralValue>(op.Inputs["source"]).Value.GetString());
        Assert.Equal("server", Assert.IsType<OutputReference>(op.Inputs["target"]).Node);
    }

    [Fact]
    public void RelationshipTemplate_IsAValidEntityName()
    {
        var op = Compile("""
            topology_template:
              relationship_templates:
                storage_link:
                  type: tosca.relationships.AttachesTo
                  properties: { location: /mnt/data }
              node_templates:
                app:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          mount: { get_property: [ storage_link, location ] }
                          device: { get_attribute: [ storage_link, device ] }
            """, "app", "Standard.create");

        Assert.Equal("/mnt/data", Assert.IsType<LiteralValue>(op.Inputs["mount"]).Value.GetString());
        Assert.Equal(JsonValueKind.Null, Assert.IsType<LiteralValue>(op.Inputs["device"]).Value.ValueKind);
    }

    [Fact]
    public void Token_WithSeveralSeparatorCharacters_SplitsOnAnyOfThem()
    {
        var result = _files.Compile(Header + """
            topology_template:
              outputs:
                third: { value: { token: [ "a-b_c:d", "-_:", 2 ] } }
                word: { value: { token: [ "one, two", ", ", 2 ] } }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal("c", ((LiteralValue)result.Plan!.Outputs.Single(o => o.Name == "third").Value).Value.GetString());
        Assert.Equal("two", ((LiteralValue)result.Plan!.Outputs.Single(o => o.Name == "word").Value).Value.GetString());
    }
}
