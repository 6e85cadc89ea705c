using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>A requirement's explicit target must be of the node type the requirement definition names.</summary>
[Trait("Category", "Unit")]
public sealed class RequirementTargetTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void TargetOfAnotherNodeType_IsTos403Error_AtTheTargetName()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              test.Database:
                derived_from: tosca.nodes.Root
              test.App:
                derived_from: tosca.nodes.Root
                requirements:
                  - database: { capability: tosca.capabilities.Node, node: test.Database, relationship: tosca.relationships.DependsOn }
            topology_template:
              node_templates:
                app:
                  type: test.App
                  requirements:
                    - database: cache
                cache: { type: tosca.nodes.Root }
            """);

        Assert.Null(result.Plan);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.IncompatibleTarget, error.Code);
        Assert.Equal((14, 21), (error.Location.Line, error.Location.Column));
        Assert.Contains("test.Database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetOfADerivedNodeType_IsAccepted()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                app:
                  type: tosca.nodes.SoftwareComponent
                  requirements:
                    - host: server
                server: { type: tosca.nodes.Compute }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }
}
