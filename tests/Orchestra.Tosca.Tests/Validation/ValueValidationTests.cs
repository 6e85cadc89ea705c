using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Validation;

[Trait("Category", "Unit")]
public sealed class ValueValidationTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private CompilationResult WithProperty(string type, string value, string constraints = "[]") => _files.Compile($$"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        data_types:
          Pair:
            derived_from: tosca.datatypes.Root
            properties:
              left: { type: integer }
              right: { type: string, required: false }
        node_types:
          T:
            derived_from: tosca.nodes.Root
            properties:
              p: { type: {{type}}, constraints: {{constraints}} }
        topology_template:
          node_templates:
            n:
              type: T
              properties:
                p: {{value}}
        """);

    [Theory]
    [InlineData("integer", "42", "[]")]
    [InlineData("float", "4.5", "[ { in_range: [ 1, 5 ] } ]")]
    [InlineData("boolean", "true", "[]")]
    [InlineData("string", "abc", "[ { pattern: \"[a-c]+\" }, { min_length: 2 }, { max_length: 3 }, { length: 3 } ]")]
    [InlineData("version", "1.2.3", "[ { greater_than: 1.2 } ]")]
    [InlineData("range", "[ 1, UNBOUNDED ]", "[]")]
    [InlineData("timestamp", "2015-05-07T07:00:00Z", "[]")]
    [InlineData("scalar-unit.size", "2 GiB", "[ { greater_or_equal: 2 GB } ]")]
    [InlineData("scalar-unit.time", "90 s", "[ { less_than: 2 m } ]")]
    [InlineData("scalar-unit.frequency", "2.5 GHz", "[ { equal: 2500 MHz } ]")]
    [InlineData("scalar-unit.bitrate", "10 Mbps", "[ { valid_values: [ 10 Mbps, 1 Gbps ] } ]")]
    [InlineData("list", "[ 1, 2 ]", "[]")]
    [InlineData("Pair", "{ left: 1, right: x }", "[]")]
    public void ValidValues_AreAccepted(string type, string value, string constraints)
    {
        var result = WithProperty(type, value, constraints);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("integer", "forty", "[]", ErrorCodes.TypeMismatch)]
    [InlineData("integer", "7", "[ { greater_than: 10 } ]", ErrorCodes.ConstraintViolated)]
    [InlineData("integer", "7", "[ { valid_values: [ 1, 2 ] } ]", ErrorCodes.ConstraintViolated)]
    [InlineData("string", "abcd", "[ { max_length: 3 } ]", ErrorCodes.ConstraintViolated)]
    [InlineData("string", "xyz", "[ { pattern: \"[a-c]+\" } ]", ErrorCodes.ConstraintViolated)]
    [InlineData("version", "one", "[]", ErrorCodes.TypeMismatch)]
    [InlineData("scalar-unit.size", "10", "[]", ErrorCodes.TypeMismatch)]
    [InlineData("scalar-unit.size", "10 parsecs", "[]", ErrorCodes.TypeMismatch)]
    [InlineData("scalar-unit.time", "3 s", "[ { in_range: [ 5 s, 10 s ] } ]", ErrorCodes.ConstraintViolated)]
    [InlineData("timestamp", "yesterday", "[]", ErrorCodes.TypeMismatch)]
    [InlineData("list", "{ a: 1 }", "[]", ErrorCodes.TypeMismatch)]
    [InlineData("Pair", "{ right: x }", "[]", ErrorCodes.MissingRequiredProperty)]
    [InlineData("Pair", "{ left: 1, rigth: x }", "[]", ErrorCodes.UnknownProperty)]
    [InlineData("Pair", "{ left: one }", "[]", ErrorCodes.TypeMismatch)]
    [InlineData("integer", "1", "[ { greater_then: 0 } ]", ErrorCodes.InvalidConstraint)]
    public void InvalidValues_AreRejected_AtTheValue(string type, string value, string constraints, string code)
    {
        var result = WithProperty(type, value, constraints);
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors, e => e.Code == code);
        Assert.True(error.Location.Line >= 12, error.ToString());
    }

    [Fact]
    public void UnknownType_SuggestsTheClosest()
    {
        var result = _files.Compile("tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n    a: { type: tosca.nodes.Compte }\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnknownType, error.Code);
        Assert.Equal("did you mean 'tosca.nodes.Compute'?", error.Suggestion);
        Assert.Equal((4, 16), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void MissingRequiredProperty_IsReported()
    {
        var result = _files.Compile("tosca_definitions_version: tosca_simple_yaml_1_3\nnode_types:\n  T: { properties: { p: { type: string } } }\ntopology_template:\n  node_templates:\n    a: { type: T }\n");
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.MissingRequiredProperty && e.Message.Contains("'p'", StringComparison.Ordinal));
    }
}
