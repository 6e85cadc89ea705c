using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>validate, plan and usage errors: the real executable, no deployment.</summary>
[Trait("Category", "Integration")]
public sealed class CliTemplateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Validate_ValidSample_ExitsZero()
    {
        var result = await Harness.Orchestra.RunAsync(_dir.Path, "validate", Path.Combine(Harness.Orchestra.Samples, "webapp", "webapp.yaml"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("valid", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidTemplate_PrintsEveryErrorWithItsPosition_ExitsTwo()
    {
        TestTemplates.Invalid(_dir);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/broken.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        var errors = result.Stderr.Split('\n').Where(l => l.Contains(": error TOS", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length >= 2, result.ToString());
        Assert.Contains(errors, e => e.StartsWith("templates/broken.yaml:5:", StringComparison.Ordinal) && e.Contains("NoSuchType", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("templates/broken.yaml:9:", StringComparison.Ordinal) && e.Contains("missing_node", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_JsonFormat_ListsDiagnosticsWithPositions()
    {
        TestTemplates.Invalid(_dir);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/broken.yaml", "--format", "json");

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var first = json.RootElement.GetProperty("diagnostics")[0];
        Assert.StartsWith("TOS", first.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.True(first.GetProperty("line").GetInt32() > 0);
        Assert.True(first.GetProperty("column").GetInt32() > 0);
    }

    [Fact]
    public async Task Validate_UnclosedBraceFollowedByMoreLines_PrintsALocatedYamlError_WithoutAStackTrace_ExitsTwo()
    {
        _dir.Write("templates/unclosed.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            metadata: {
              a: b
            description: x
            """);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/unclosed.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"(?m)^templates/unclosed\.yaml:4:\d+: error TOS002: ", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "after a")]
    [InlineData("dot", "digraph")]
    [InlineData("mermaid", "flowchart LR")]
    [InlineData("json", "\"nodes\"")]
    public async Task Plan_PrintsTheGraphInEachFormat(string format, string expected)
    {
        var template = TestTemplates.Chain(_dir);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "plan", template, "--format", format);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        if (format == "dot")
        {
            Assert.Contains("\"a\" -> \"b\"", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("deploy")]
    [InlineData("plan", "x.yaml", "--format", "png")]
    public async Task Usage_Errors_ExitTwo(params string[] args)
    {
        var result = await Harness.Orchestra.RunAsync(_dir.Path, args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_InvalidTemplate_ExitsTwo_AndCreatesNothing()
    {
        TestTemplates.Invalid(_dir);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/broken.yaml", "--store", _dir.Store);
        var list = await Harness.Orchestra.RunAsync(_dir.Path, "list", "--json", "--store", _dir.Store);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("templates/broken.yaml:5:", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("[]", list.Stdout.Trim());
    }
}
