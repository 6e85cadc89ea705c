using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>
/// TOSCA 1.3 section 7.2.1.1: a requirement the node type declares with at least one occurrence, which the template does not
/// assign, is fulfilled by the orchestrator against the topology, by its capability and node type.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DanglingRequirementTests : IDisposable
{
    private const string Header = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void DanglingHost_IsFulfilledByTheOnlyMatchingNode_AndHostResolvesThroughIt()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                app:
                  type: tosca.nodes.SoftwareComponent
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          address: { get_attribute: [ HOST, private_address ] }
                server: { type: tosca.nodes.Compute }
                other: { type: tosca.nodes.Root }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var app = result.Plan!.FindNode("app")!;
        Assert.Equal(["server"], app.DependsOn);
        var address = Assert.IsType<OutputReference>(app.Operations[0].Inputs["address"]);
        Assert.Equal("server", address.Node);
    }

    [Fact]
    public void DanglingHost_WithSeveralMatches_IsAnError_NamingThem()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                app: { type: tosca.nodes.SoftwareComponent }
                vm1: { type: tosca.nodes.Compute }
                vm2: { type: tosca.nodes.Compute }
            """);

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.RequirementOccurrences, error.Code);
        Assert.Equal((4, 5), (error.Location.Line, error.Location.Column));
        Assert.Contains("requirement 'host'", error.Message, StringComparison.Ordinal);
        Assert.Contains("vm1, vm2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DanglingHost_WithNoMatch_IsAnError_SayingWhatWasLookedFor()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                web: { type: tosca.nodes.WebServer }
                other: { type: tosca.nodes.Root }
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.RequirementOccurrences, error.Code);
        Assert.Contains("requirement 'host'", error.Message, StringComparison.Ordinal);
        Assert.Contains("node type tosca.nodes.Compute, capability tosca.capabilities.Container", error.Message, StringComparison.Ordinal);
        Assert.Contains("no node template", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DanglingRequirement_OfACustomType_MatchesByCapabilityAndNodeType()
    {
        var result = _files.Compile(Header + """
            capability_types:
              test.Queue: { derived_from: tosca.capabilities.Root }
            node_types:
              test.Broker:
                derived_from: tosca.nodes.Root
                capabilities:
                  queue: test.Queue
              test.Consumer:
                derived_from: tosca.nodes.Root
                requirements:
                  - queue: { capability: test.Queue, node: test.Broker, relationship: tosca.relationships.ConnectsTo, occurrences: [ 1, 1 ] }
                  - optional_queue: { capability: test.Queue, occurrences: [ 0, 1 ] }
            topology_template:
              node_templates:
                consumer: { type: test.Consumer }
                plain: { type: tosca.nodes.Root }
                broker: { type: test.Broker }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(["broker"], result.Plan!.FindNode("consumer")!.DependsOn);
        Assert.Empty(result.Plan!.FindNode("plain")!.DependsOn);
    }

    [Fact]
    public void PartlyAssignedRequirement_GetsTheRestFromTheTopology_OnlyWhenExactlyEnoughMatch()
    {
        var template = Header + """
            node_types:
              test.Cluster:
                derived_from: tosca.nodes.Root
                requirements:
                  - member: { capability: tosca.capabilities.Node, node: test.Member, occurrences: [ 2, 2 ] }
              test.Member: { derived_from: tosca.nodes.Root }
            topology_template:
              node_templates:
                cluster:
                  type: test.Cluster
                  requirements: [ { member: m1 } ]
                m1: { type: test.Member }
                m2: { type: test.Member }
            """;

        var result = _files.Compile(template);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(["m1", "m2"], result.Plan!.FindNode("cluster")!.DependsOn);

        var crowded = _files.Compile(template + "\n    m3: { type: test.Member }\n");
        var error = Assert.Single(crowded.Errors);
        Assert.Equal(ErrorCodes.RequirementOccurrences, error.Code);
        Assert.Contains("m2, m3", error.Message, StringComparison.Ordinal);
    }
}
