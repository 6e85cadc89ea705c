using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Parsing;

/// <summary>YAML that YamlDotNet's scanner used to crash on (exceptions other than its YamlException): a located TOS002 instead.</summary>
[Trait("Category", "Unit")]
public sealed class YamlRobustnessTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void UnclosedBrace_FollowedByMoreLines_IsALocatedYamlError()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            metadata: {
              a: b
            description: x
            """);

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.YamlSyntax, error.Code);
        Assert.EndsWith("main.yaml", error.Location.File, StringComparison.Ordinal);
        Assert.True(error.Location.Line >= 2 && error.Location.Column > 0, error.ToString());
    }

    [Fact]
    public void UnclosedBracket_FollowedByBlockLines_IsALocatedYamlError()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                a: { type: tosca.nodes.Root, requirements: [
                b:
                  type: tosca.nodes.Root
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.YamlSyntax, error.Code);
        Assert.True(error.Location.Line >= 4 && error.Location.Column > 0, error.ToString());
    }

    // YamlDotNet places some errors at the start of the construct they interrupt (here the document's first line); PyYAML names
    // both places, and the second is where the author must look.
    [Fact]
    public void TabIndentation_IsAYamlError_AtTheTab_NamingWhereTheMapStarts()
    {
        var result = _files.Compile("tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n    b:\n\ttype: tosca.nodes.Root\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCodes.YamlSyntax, 5), (error.Code, error.Location.Line));
        Assert.Contains("tab", error.Message, StringComparison.Ordinal);
        Assert.Contains("1:1", error.Message, StringComparison.Ordinal);
    }

    // The ETSI NFV SOL001 type files continue flow sequences at column 1, under a key indented further. YAML 1.2 requires the
    // continuation to be indented past the key; PyYAML (and so tosca-parser) does not, and the meaning is unambiguous.
    [Fact]
    public void FlowSequence_ContinuedAtColumnOne_IsAccepted_WithAWarning()
    {
        var template = """
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              my.Node:
                derived_from: tosca.nodes.Root
                properties:
                  protocol:
                    type: string
                    constraints:
                      - valid_values: [ ethernet, mpls,
            odu2, ipv4 ]
            topology_template:
              node_templates:
                n:
                  type: my.Node
                  properties: { protocol: PROTOCOL }
            """;

        var result = _files.Compile(template.Replace("PROTOCOL", "odu2", StringComparison.Ordinal));

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == ErrorCodes.YamlSyntax);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(10, warning.Location.Line);
        Assert.Equal(1, warning.Location.Column);

        var wrong = _files.Compile(template.Replace("PROTOCOL", "ipv6", StringComparison.Ordinal));
        var error = Assert.Single(wrong.Errors);
        Assert.Equal(ErrorCodes.ConstraintViolated, error.Code);
        Assert.Contains("ethernet, mpls, odu2, ipv4", error.Message, StringComparison.Ordinal);
    }
}
