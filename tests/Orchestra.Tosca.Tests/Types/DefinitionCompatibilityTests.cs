using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Types;

/// <summary>Definitions other tools accept and the specification allows (issue 14, item 5).</summary>
[Trait("Category", "Unit")]
public sealed class DefinitionCompatibilityTests : IDisposable
{
    private const string Header = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private CompilationResult CompileOk(string template)
    {
        var result = _files.Compile(Header + template);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result;
    }

    [Fact]
    public void NodeTypeArtifacts_AreSeenByTemplates_ThroughGetArtifactAndImplementation()
    {
        _files.Write("types/scripts/install.sh", "#!/bin/bash\n");
        _files.Write("types/app.yaml", Header + """
            node_types:
              test.App:
                derived_from: tosca.nodes.Root
                artifacts:
                  installer:
                    type: tosca.artifacts.Implementation.Bash
                    file: scripts/install.sh
                interfaces:
                  Standard:
                    create:
                      implementation: installer
                      inputs:
                        script: { get_artifact: [ SELF, installer ] }
            """);

        var result = CompileOk("""
            imports: [ types/app.yaml ]
            topology_template:
              node_templates:
                app: { type: test.App }
            """);

        var create = result.Plan!.FindNode("app")!.Operations.Single();
        Assert.Equal("types/scripts/install.sh", create.Implementation);
        Assert.Equal("types/scripts/install.sh", Assert.IsType<LiteralValue>(create.Inputs["script"]).Value.GetString());
    }

    [Fact]
    public void TemplateArtifact_OverridesTheTypesArtifactOfTheSameName()
    {
        _files.Write("mine.sh", "#!/bin/bash\n");
        var result = CompileOk("""
            node_types:
              test.App:
                derived_from: tosca.nodes.Root
                artifacts:
                  installer: { file: missing.sh, type: tosca.artifacts.Implementation.Bash }
                interfaces:
                  Standard:
                    create: installer
            topology_template:
              node_templates:
                app:
                  type: test.App
                  artifacts:
                    installer: mine.sh
            """);

        Assert.Equal("mine.sh", result.Plan!.FindNode("app")!.Operations.Single().Implementation);
    }

    [Fact]
    public void FilesThatImportEachOther_OrAreImportedTwice_AreAccepted_WhenTheirDefinitionsAgree()
    {
        const string Shared = "node_types:\n  test.Shared: { derived_from: tosca.nodes.Root }\n";
        _files.Write("a.yaml", Header + "imports: [ b.yaml, copy/shared.yaml ]\nnode_types:\n  test.A: { derived_from: test.B }\n");
        _files.Write("b.yaml", Header + "imports: [ a.yaml, shared.yaml ]\nnode_types:\n  test.B: { derived_from: tosca.nodes.Root }\n");
        _files.Write("shared.yaml", Header + Shared);
        _files.Write("copy/shared.yaml", Header + Shared);

        var result = CompileOk("""
            imports: [ a.yaml, b.yaml, shared.yaml ]
            topology_template:
              node_templates:
                a: { type: test.A }
                s: { type: test.Shared }
            """);

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void TypeDefinedTwice_Differently_IsStillTos202()
    {
        _files.Write("one.yaml", Header + "node_types:\n  test.T: { derived_from: tosca.nodes.Root }\n");
        _files.Write("two.yaml", Header + "node_types:\n  test.T: { derived_from: tosca.nodes.Compute }\n");

        var result = _files.Compile(Header + "imports: [ one.yaml, two.yaml ]\n");

        Assert.Equal(ErrorCodes.DuplicateType, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void AttributeAssignment_InExtendedNotation_IsItsValue()
    {
        var result = CompileOk("""
            node_types:
              test.Node:
                derived_from: tosca.nodes.Root
                attributes:
                  color: { type: string }
            topology_template:
              node_templates:
                n:
                  type: test.Node
                  attributes:
                    color: { description: the colour it starts with, value: green }
            """);

        Assert.Equal("green", ((LiteralValue)result.Plan!.FindNode("n")!.Attributes!["color"]).Value.GetString());
    }

    [Fact]
    public void PropertyRefinement_WithoutType_KeepsTheInheritedType_AndAddsItsOwnDefaultAndConstraints()
    {
        var template = """
            node_types:
              test.Base:
                derived_from: tosca.nodes.Root
                properties:
                  size: { type: integer, default: 1 }
                  label: { type: string, required: false }
              test.Derived:
                derived_from: test.Base
                properties:
                  size:
                    default: 5
                    constraints: [ { less_than: 10 } ]
                  label:
                    description: now documented
            topology_template:
              node_templates:
                n:
                  type: test.Derived
            """;

        var result = CompileOk(template);
        Assert.Equal(5, ((LiteralValue)result.Plan!.FindNode("n")!.Attributes!["size"]).Value.GetInt32());

        var tooBig = _files.Compile(Header + template + "\n      properties: { size: 12 }\n");
        Assert.Equal(ErrorCodes.ConstraintViolated, Assert.Single(tooBig.Errors).Code);
        var notAnInteger = _files.Compile(Header + template + "\n      properties: { size: big }\n");
        Assert.Equal(ErrorCodes.TypeMismatch, Assert.Single(notAnInteger.Errors).Code);
    }

    [Fact]
    public void NewPropertyWithoutType_IsStillMissingItsType()
    {
        var result = _files.Compile(Header + """
            node_types:
              test.Node:
                derived_from: tosca.nodes.Root
                properties:
                  fresh: { default: 5 }
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.MissingKey, error.Code);
        Assert.Contains("'fresh'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10 MBps", true)]
    [InlineData("1 GiBps", true)]
    [InlineData("9 MBps", false)]
    [InlineData("10 mbps", false)]
    public void BitrateInBytesPerSecond_IsEightBitsPerByte(string value, bool accepted)
    {
        var result = _files.Compile(Header + $$"""
            node_types:
              test.Link:
                derived_from: tosca.nodes.Root
                properties:
                  rate: { type: scalar-unit.bitrate, constraints: [ { greater_or_equal: 80 Mbps } ] }
            topology_template:
              node_templates:
                link:
                  type: test.Link
                  properties: { rate: {{value}} }
            """);

        Assert.True(result.Success == accepted, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void CapabilityDefinition_InANodeType_MayAssignPropertyValues()
    {
        var result = CompileOk("""
            node_types:
              test.BigServer:
                derived_from: tosca.nodes.Compute
                capabilities:
                  host:
                    type: tosca.capabilities.Compute
                    properties:
                      num_cpus: 8
                      mem_size: { default: 16 GB }
                    attributes:
                      note: spare
              test.App:
                derived_from: tosca.nodes.SoftwareComponent
                requirements:
                  - host: { capability: tosca.capabilities.Compute, node: test.BigServer, relationship: tosca.relationships.HostedOn,
                            node_filter: { capabilities: [ { host: { properties: [ { num_cpus: { greater_or_equal: 4 } } ] } } ] } }
            topology_template:
              node_templates:
                server: { type: test.BigServer }
                app:
                  type: test.App
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          cpus: { get_property: [ server, host, num_cpus ] }
                          memory: { get_property: [ server, host, mem_size ] }
            """);

        var create = result.Plan!.FindNode("app")!.Operations.Single();
        Assert.Equal(8, Assert.IsType<LiteralValue>(create.Inputs["cpus"]).Value.GetInt32());
        Assert.Equal("16 GB", Assert.IsType<LiteralValue>(create.Inputs["memory"]).Value.GetString());
        Assert.Equal(["server"], result.Plan.FindNode("app")!.DependsOn);
    }
}
