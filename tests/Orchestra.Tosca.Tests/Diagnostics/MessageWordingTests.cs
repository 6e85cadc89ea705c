using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Diagnostics;

/// <summary>Unknown types are reported as a sentence: who names what, and that it is not defined.</summary>
[Trait("Category", "Unit")]
public sealed class MessageWordingTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void UnknownTypes_ReadInNaturalWordOrder()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            interface_types:
              my.If:
                derived_from: tosca.interfaces.Root
                inputs:
                  i: { type: my.NoData }
            node_types:
              my.Server:
                derived_from: tosca.nodes.Computee
            topology_template:
              node_templates:
                a: { type: tosca.nodes.XYZ }
            """);

        Assert.Equal(
            [
                "input 'i' of interface type 'my.If' names data type 'my.NoData', which is not defined",
                "node type 'my.Server' derives from node type 'tosca.nodes.Computee', which is not defined",
                "'type' of node template 'a' names node type 'tosca.nodes.XYZ', which is not defined",
            ],
            result.Errors.Select(e => e.Message));
        Assert.All(result.Errors, e => Assert.Equal(ErrorCodes.UnknownType, e.Code));
    }
}
