using System.Text.Json;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Validation;

/// <summary>
/// YAML 1.1 booleans (<c>yes</c>, <c>no</c>, <c>on</c>, <c>off</c>, any case), which PyYAML and so tosca-parser read as booleans, where
/// TOSCA expects a boolean: accepted with a located warning, read as the boolean PyYAML reads, and never followed by other errors.
/// </summary>
[Trait("Category", "Unit")]
public sealed class Yaml11BooleanTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void RequiredNo_InAPropertyDefinition_IsAWarning_AndThePropertyIsOptional()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              my.Node:
                derived_from: tosca.nodes.Root
                properties:
                  label: { type: string, required: no }
                  flag:
                    type: string
                    required: Off
            topology_template:
              node_templates:
                n: { type: my.Node }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warnings = result.Diagnostics.Where(d => d.Code == ErrorCodes.TypeMismatch).ToList();
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        Assert.Equal([(6, 40), (9, 19)], warnings.Select(w => (w.Location.Line, w.Location.Column)));
        Assert.Contains("a boolean in YAML 1.1", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("write false", warnings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BooleanProperties_GivenYesAndOff_AreWarnings_AndReachThePlanAsBooleans()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              my.Node:
                derived_from: tosca.nodes.Root
                properties:
                  enabled: { type: boolean }
                  debug: { type: boolean, default: ON }
                  verbose: { type: boolean, constraints: [ { equal: no } ] }
            topology_template:
              node_templates:
                n:
                  type: my.Node
                  properties:
                    enabled: Yes
                    verbose: off
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.All(result.Diagnostics, d => Assert.Equal((ErrorCodes.TypeMismatch, DiagnosticSeverity.Warning), (d.Code, d.Severity)));
        Assert.Contains(result.Diagnostics, d => (d.Location.Line, d.Location.Column) == (14, 18));
        Assert.Contains(result.Diagnostics, d => (d.Location.Line, d.Location.Column) == (15, 18));
        Assert.Contains(result.Diagnostics, d => (d.Location.Line, d.Location.Column) == (7, 40));
        var attributes = result.Plan!.Nodes.Single().Attributes!;
        Assert.Equal(JsonValueKind.True, ((LiteralValue)attributes["enabled"]).Value.ValueKind);
        Assert.Equal(JsonValueKind.True, ((LiteralValue)attributes["debug"]).Value.ValueKind);
        Assert.Equal(JsonValueKind.False, ((LiteralValue)attributes["verbose"]).Value.ValueKind);
    }

    [Fact]
    public void BooleanInput_DefaultNo_IsAWarning_AndReachesAScriptAsFalse()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              inputs:
                dry_run: { type: boolean, default: no }
              node_templates:
                n:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs: { DRY_RUN: { get_input: dry_run } }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((ErrorCodes.TypeMismatch, DiagnosticSeverity.Warning, 4, 40), (warning.Code, warning.Severity, warning.Location.Line, warning.Location.Column));
        var input = result.Plan!.Nodes.Single().Operations.Single().Inputs["DRY_RUN"];
        Assert.Equal(JsonValueKind.False, ((LiteralValue)input).Value.ValueKind);
    }

    [Fact]
    public void Yaml11BooleanText_ForAStringProperty_StaysTheText_WithoutAWarning()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              my.Node:
                derived_from: tosca.nodes.Root
                properties:
                  answer: { type: string, constraints: [ { valid_values: [ yes, no ] } ] }
            topology_template:
              node_templates:
                n: { type: my.Node, properties: { answer: yes } }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        Assert.Equal("yes", ((LiteralValue)result.Plan!.Nodes.Single().Attributes!["answer"]).Value.GetString());
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("\"yes\"")]
    public void NotABoolean_ForABooleanProperty_IsOneError(string value)
    {
        var result = _files.Compile($$"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              my.Node:
                derived_from: tosca.nodes.Root
                properties:
                  enabled: { type: boolean, required: {{value}} }
            topology_template:
              node_templates:
                n: { type: my.Node, properties: { enabled: {{value}} } }
            """);

        Assert.Equal(2, result.Errors.Count());
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.WrongShape && e.Location.Line == 6);
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.TypeMismatch && e.Location.Line == 9);
    }
}
