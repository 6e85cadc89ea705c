using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Validation;

/// <summary>A type error is reported once: the node templates that use or point at the broken one get no errors of their own.</summary>
[Trait("Category", "Unit")]
public sealed class FollowOnErrorTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void NodeOfAnUnknownType_YieldsExactlyOneError_AndRequirementsPointingAtItReportNothing()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                server:
                  type: tosca.nodes.NoSuchCompute
                app:
                  type: tosca.nodes.SoftwareComponent
                  requirements:
                    - host: server
                other:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: server
                db:
                  type: tosca.nodes.DBMS
                  requirements:
                    - host: { node: tosca.nodes.Compute }
              outputs:
                ip: { value: { get_attribute: [ server, private_address ] } }
            """);

        Assert.Null(result.Plan);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(ErrorCodes.UnknownType, error.Code);
        Assert.Equal((5, 13), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void NodeOfATypeDerivedFromAnUnknownType_YieldsExactlyOneError_AtTheDerivation()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              my.Server:
                derived_from: tosca.nodes.Computee
            topology_template:
              node_templates:
                server: { type: my.Server }
                app:
                  type: tosca.nodes.SoftwareComponent
                  requirements:
                    - host: server
                other:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: server
              outputs:
                ip: { value: { get_attribute: [ server, private_address ] } }
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((ErrorCodes.UnknownType, 4, 19), (error.Code, error.Location.Line, error.Location.Column));
    }
}
