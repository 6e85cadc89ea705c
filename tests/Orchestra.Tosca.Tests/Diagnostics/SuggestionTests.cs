using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Diagnostics;

/// <summary>"Did you mean" names the key the author was writing, a truncated name included.</summary>
[Trait("Category", "Unit")]
public sealed class SuggestionTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void ToscaDefinitions_SuggestsToscaDefinitionsVersion_AtTheKey_AndInTheMissingVersionError()
    {
        var result = _files.Compile("""
            description: x
            tosca_definitions: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                a: { type: tosca.nodes.Root }
            """);

        var unknown = Assert.Single(result.Errors, e => e.Code == ErrorCodes.UnknownKey);
        Assert.Equal((2, 1), (unknown.Location.Line, unknown.Location.Column));
        Assert.Equal("did you mean 'tosca_definitions_version'?", unknown.Suggestion);
        var missing = Assert.Single(result.Errors, e => e.Code == ErrorCodes.MissingVersion);
        Assert.Equal((2, 1), (missing.Location.Line, missing.Location.Column));
        Assert.Contains("'tosca_definitions' (line 2)", missing.Suggestion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tosca_definitions", "tosca_definitions_version")]
    [InlineData("requirement", "requirements")]
    [InlineData("propertes", "properties")]
    [InlineData("node_template", "node_templates")]
    [InlineData("interface", "interfaces")]
    public void Closest_PrefersTheNameItTruncatesOrMisspells(string written, string expected)
    {
        string[] candidates = ["tosca_definitions_version", "dsl_definitions", "requirements", "properties", "node_templates", "node_types", "interfaces", "interface_types", "inputs"];

        Assert.Equal(expected, Suggestions.Closest(written, candidates));
    }

    [Theory]
    [InlineData("in")]
    [InlineData("node")]
    public void Closest_DoesNotGuessFromAShortPrefix(string written) =>
        Assert.Null(Suggestions.Closest(written, ["inputs", "node_templates_and_more"]));
}
