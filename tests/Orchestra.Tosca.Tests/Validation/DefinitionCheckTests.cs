using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Validation;

/// <summary>The types a definition names are checked where the definition is written, whether or not a template assigns a value.</summary>
[Trait("Category", "Unit")]
public sealed class DefinitionCheckTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private CompilationResult WithTypes(string types) => _files.Compile($"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        {types}
        topology_template:
          node_templates:
            n: {"{ type: tosca.nodes.Root }"}
        """);

    [Theory]
    [InlineData("node_types:\n  my.Node:\n    properties:\n      p: { type: my.NoSuchData, required: false }", 5, 18, "data type 'my.NoSuchData'")]
    [InlineData("node_types:\n  my.Node:\n    properties:\n      p: { type: list, required: false, entry_schema: { type: my.Missing } }", 5, 63, "data type 'my.Missing'")]
    [InlineData("node_types:\n  my.Node:\n    properties:\n      p: { type: map, required: false, entry_schema: intger }", 5, 54, "data type 'intger'")]
    [InlineData("node_types:\n  my.Node:\n    attributes:\n      a: { type: strin }", 5, 18, "data type 'strin'")]
    [InlineData("data_types:\n  my.Data:\n    properties:\n      p: { type: my.Nope }", 5, 18, "data type 'my.Nope'")]
    [InlineData("capability_types:\n  my.Cap:\n    valid_source_types: [ my.NoNode ]", 4, 25, "'my.NoNode'")]
    [InlineData("relationship_types:\n  my.Rel:\n    valid_target_types: [ my.NoCap ]", 4, 25, "'my.NoCap'")]
    [InlineData("node_types:\n  my.Node:\n    capabilities:\n      c: { type: my.NoCapType }", 5, 7, "capability type 'my.NoCapType'")]
    [InlineData("node_types:\n  my.Node:\n    capabilities:\n      c: { type: tosca.capabilities.Node, valid_source_types: [ my.NoNode ] }", 5, 7, "'my.NoNode'")]
    [InlineData("node_types:\n  my.Node:\n    requirements:\n      - r: { capability: my.NoCapType }", 5, 9, "capability type 'my.NoCapType'")]
    [InlineData("node_types:\n  my.Node:\n    requirements:\n      - r: { capability: tosca.capabilities.Node, node: my.NoNode }", 5, 9, "node type 'my.NoNode'")]
    [InlineData("node_types:\n  my.Node:\n    requirements:\n      - r: { capability: tosca.capabilities.Node, relationship: my.NoRel }", 5, 9, "relationship type 'my.NoRel'")]
    [InlineData("node_types:\n  my.Node:\n    interfaces:\n      Custom: { type: my.NoInterface }", 5, 7, "interface type 'my.NoInterface'")]
    [InlineData("interface_types:\n  my.If:\n    inputs:\n      i: { type: my.NoData }", 5, 18, "data type 'my.NoData'")]
    [InlineData("interface_types:\n  my.If:\n    operations:\n      op:\n        inputs:\n          i: { type: my.NoData }", 7, 22, "data type 'my.NoData'")]
    [InlineData("group_types:\n  my.Group:\n    members: [ my.NoNode ]", 4, 14, "'my.NoNode'")]
    [InlineData("policy_types:\n  my.Policy:\n    targets: [ my.NoNode ]", 4, 14, "'my.NoNode'")]
    public void UnknownType_InADefinition_IsAnError_WithoutAnyValue(string types, int line, int column, string fragment)
    {
        var result = WithTypes(types);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnknownType, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void UnknownPropertyType_AssignedInATemplate_IsReportedOnce()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              my.Node:
                derived_from: tosca.nodes.Root
                properties:
                  p: { type: my.NoSuchData }
            topology_template:
              node_templates:
                a: { type: my.Node, properties: { p: 1 } }
                b: { type: my.Node, properties: { p: 2 } }
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCodes.UnknownType, 6, 18), (error.Code, error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void UnknownTypes_OfARequirementDefinition_AreReportedOnce_ThoughTemplatesUseIt()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              T:
                derived_from: tosca.nodes.Root
                requirements:
                  - r: { capability: my.NoCap, relationship: my.NoRel }
            topology_template:
              node_templates:
                a: { type: T, requirements: [ r: b ] }
                b: { type: tosca.nodes.Root }
            """);

        Assert.Equal(2, result.Errors.Count());
        Assert.All(result.Errors, e => Assert.Equal((ErrorCodes.UnknownType, 6, 9), (e.Code, e.Location.Line, e.Location.Column)));
        Assert.Contains(result.Errors, e => e.Message.Contains("capability type 'my.NoCap'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("relationship type 'my.NoRel'", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultOfAPropertyDefinition_OfTheWrongType_IsAnError_AtTheDefault()
    {
        var result = WithTypes("node_types:\n  my.Node:\n    properties:\n      port: { type: integer, default: eighty }");

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCodes.TypeMismatch, 5, 39), (error.Code, error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void KnownTypes_InDefinitions_AreAccepted()
    {
        var result = WithTypes("""
            data_types:
              my.Data:
                derived_from: tosca.datatypes.Root
                properties:
                  p: { type: list, entry_schema: { type: map, entry_schema: scalar-unit.size } }
            capability_types:
              my.Cap:
                derived_from: tosca.capabilities.Root
                valid_source_types: [ tosca.nodes.Compute ]
            relationship_types:
              my.Rel:
                derived_from: tosca.relationships.ConnectsTo
                valid_target_types: [ my.Cap ]
            interface_types:
              my.If:
                derived_from: tosca.interfaces.Root
                inputs:
                  i: { type: my.Data, required: false }
                operations:
                  op: { inputs: { j: { type: string, default: x } } }
            node_types:
              my.Node:
                derived_from: tosca.nodes.Root
                properties:
                  d: { type: my.Data, required: false }
                capabilities:
                  c: { type: my.Cap, valid_source_types: [ my.Node ] }
                requirements:
                  - r: { capability: my.Cap, node: my.Node, relationship: my.Rel, occurrences: [ 0, 1 ] }
                interfaces:
                  Custom: { type: my.If }
            group_types:
              my.Group: { derived_from: tosca.groups.Root, members: [ my.Node ] }
            policy_types:
              my.Policy: { derived_from: tosca.policies.Root, targets: [ my.Node, my.Group ] }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }
}
