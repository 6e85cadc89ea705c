using System.Text;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>The attacks of the HTTP API, run through the real executable: a dot-only name, a tiny template with a huge plan, a huge input.</summary>
[Trait("Category", "Integration")]
public sealed class CliSubmissionLimitTests : IDisposable
{
    private const string Noop = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            only:
              type: tosca.nodes.Root
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Deploy_DotOnlyName_ExitsTwo(string name)
    {
        Write("noop.yaml", Noop);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "noop.yaml", "--name", name);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("not a valid deployment name", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Submitted", result.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Validate_SmallTemplateWhosePlanWouldBeTensOfMegabytes_ExitsTwo_WithTOS607AtTheNode()
    {
        var sb = new StringBuilder("tosca_definitions_version: tosca_simple_yaml_1_3\ndsl_definitions:\n  s: &l0 ").Append('x', 100).Append('\n');
        for (var i = 1; i <= 5; i++)
        {
            sb.Append($"  l{i}: &l{i} [").Append(string.Join(",", Enumerable.Repeat($"*l{i - 1}", 8))).Append("]\n");
        }

        sb.Append("topology_template:\n  node_templates:\n    n:\n      type: tosca.nodes.Root\n      interfaces:\n        Standard:\n")
            .Append("          inputs: { blob: *l5 }\n")
            .Append(string.Concat(new[] { "create", "configure", "start", "stop", "delete" }.Select(o => $"          {o}: orchestra:noop\n")));
        Write("aliases.yaml", sb.ToString());

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "aliases.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("aliases.yaml:11:5: error TOS607: node template 'n'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_InputsFileWithATenMegabyteValue_ExitsTwo_WithTOS608()
    {
        Write("blob.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              inputs:
                blob: { type: string }
              node_templates:
                only:
                  type: tosca.nodes.Root
            """);
        Write("inputs.yaml", "blob: " + new string('x', 10_000_000) + "\n");

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "blob.yaml", "--inputs-file", "inputs.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error TOS608", result.Stderr, StringComparison.Ordinal);
    }
}
