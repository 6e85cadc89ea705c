using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Validation;

/// <summary>Keynames the grammar requires are enforced, and those with a type have it: repository, import, description, metadata, interface type inputs.</summary>
[Trait("Category", "Unit")]
public sealed class KeynameTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Repository_WithoutUrl_IsAnError_AtItsName()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            repositories:
              good: https://example.org/types
              also_good: { url: https://example.org/more, description: more types }
              bad: { description: no url here }
              worse: { url: [ a ], descripton: x }
            topology_template:
              node_templates:
                a: { type: tosca.nodes.Root }
            """);

        Assert.Equal(3, result.Errors.Count());
        Assert.Contains(result.Errors, e => (e.Code, e.Location.Line, e.Location.Column) == (ErrorCodes.MissingKey, 5, 3) && e.Message.Contains("repository 'bad' is missing the required key 'url'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => (e.Code, e.Location.Line, e.Location.Column) == (ErrorCodes.WrongShape, 6, 17));
        Assert.Contains(result.Errors, e => (e.Code, e.Location.Line) == (ErrorCodes.UnknownKey, 6) && e.Suggestion == "did you mean 'description'?");
    }

    [Fact]
    public void Import_WithoutFile_IsAnError_AtTheImport()
    {
        _files.Write("types.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\n");
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports:
              - types.yaml
              - named: { namespace_prefix: n }
              - { namespace_uri: http://example.org/x, namespace_prefix: m }
            topology_template:
              node_templates:
                a: { type: tosca.nodes.Root }
            """);

        Assert.Equal(2, result.Errors.Count());
        Assert.All(result.Errors, e => Assert.Equal(ErrorCodes.MissingKey, e.Code));
        Assert.Contains(result.Errors, e => (e.Location.Line, e.Location.Column) == (4, 12) && e.Message.Contains("import 'named' is missing the required key 'file'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => (e.Location.Line, e.Location.Column) == (5, 5));
    }

    [Theory]
    [InlineData("description: [ a, b ]", 1, 14)]
    [InlineData("metadata: [ a ]", 1, 11)]
    [InlineData("metadata: { a: { b: c } }", 1, 16)]
    [InlineData("node_types:\n  T:\n    description: { a: b }", 3, 18)]
    [InlineData("node_types:\n  T:\n    metadata: a", 3, 15)]
    [InlineData("node_types:\n  T:\n    properties:\n      p: { type: string, required: false, metadata: [ x ] }", 4, 53)]
    [InlineData("node_types:\n  T:\n    interfaces:\n      Standard:\n        description: [ x ]", 5, 22)]
    [InlineData("topology_template:\n  description: { a: b }", 2, 16)]
    [InlineData("topology_template:\n  node_templates:\n    m: { type: tosca.nodes.Root, metadata: [ x ] }", 3, 44)]
    [InlineData("topology_template:\n  node_templates:\n    m: { type: tosca.nodes.Root, description: { x: y } }", 3, 47)]
    [InlineData("topology_template:\n  groups:\n    g: { type: tosca.groups.Root, members: [ a ], description: [ x ] }", 3, 64)]
    [InlineData("topology_template:\n  policies:\n    - p: { type: tosca.policies.Root, metadata: x }", 3, 49)]
    [InlineData("topology_template:\n  inputs:\n    i: { type: string, default: x, description: [ y ] }", 3, 49)]
    [InlineData("topology_template:\n  outputs:\n    o: { value: 1, metadata: [ y ] }", 3, 30)]
    public void DescriptionAndMetadata_OfTheWrongShape_AreErrors(string section, int line, int column)
    {
        var result = _files.Compile("tosca_definitions_version: tosca_simple_yaml_1_3\n" + section + "\n"
            + (section.StartsWith("topology_template", StringComparison.Ordinal) ? string.Empty : "topology_template:\n")
            + (section.Contains("node_templates", StringComparison.Ordinal) ? "    a: { type: tosca.nodes.Root }\n" : "  node_templates:\n    a: { type: tosca.nodes.Root }\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCodes.WrongShape, line + 1, column), (error.Code, error.Location.Line, error.Location.Column));
        Assert.Matches("^'(description|metadata)' of .+ must ", error.Message);
    }

    [Fact]
    public void DescriptionAndMetadata_OfTheRightShape_AreAccepted()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            description: >
              folded text
            metadata: { template_name: t, template_version: 1.0, count: 3, flag: true, empty: }
            node_types:
              T:
                description: 42
                metadata: { a: b }
            topology_template:
              description: a topology
              node_templates:
                a: { type: T, description: a node, metadata: { owner: me } }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void InterfaceTypeInputs_AreParameterDefinitions_NotValues()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            interface_types:
              my.If:
                derived_from: tosca.interfaces.Root
                inputs:
                  retries: { description: how often, default: 3 }
                  mode: { type: string, value: fast }
                  plain: 5
                  typo: { type: string, defualt: x }
                operations:
                  run:
                    inputs:
                      level: { type: integer, default: one }
            topology_template:
              node_templates:
                a: { type: tosca.nodes.Root }
            """);

        Assert.Equal(3, result.Errors.Count());
        Assert.Contains(result.Errors, e => (e.Code, e.Location.Line, e.Location.Column) == (ErrorCodes.WrongShape, 8, 14) && e.Message.Contains("parameter definition", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => (e.Code, e.Location.Line) == (ErrorCodes.UnknownKey, 9) && e.Suggestion == "did you mean 'default'?");
        Assert.Contains(result.Errors, e => (e.Code, e.Location.Line, e.Location.Column) == (ErrorCodes.TypeMismatch, 13, 44));
    }

    [Fact]
    public void InterfaceTypeInput_WithADefault_ReachesTheScript_AsItsDefault()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            interface_types:
              my.Lifecycle:
                derived_from: tosca.interfaces.node.lifecycle.Standard
                inputs:
                  retries: { description: how often, default: 3 }
            node_types:
              T:
                derived_from: tosca.nodes.Root
                interfaces:
                  Standard: { type: my.Lifecycle }
            topology_template:
              node_templates:
                a:
                  type: T
                  interfaces:
                    Standard:
                      create: orchestra:noop
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var input = result.Plan!.Nodes.Single().Operations.Single().Inputs["retries"];
        Assert.Equal(3, ((LiteralValue)input).Value.GetInt32());
    }
}
