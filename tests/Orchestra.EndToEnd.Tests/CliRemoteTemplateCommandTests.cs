using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>validate and plan with <c>--server</c>: the real server compiles, under its own template directories policy.</summary>
[Trait("Category", "Integration")]
public sealed class CliRemoteTemplateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Templates => Path.Combine(_dir.Path, "templates");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ValidateAndPlan_WithServer_CompileOnTheServer()
    {
        var valid = TestTemplates.Chain(_dir);
        TestTemplates.Invalid(_dir);
        var outside = _dir.Write("elsewhere/noop.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                only:
                  type: tosca.nodes.Root
            """);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);
        var url = server.BaseAddress.ToString();

        var ok = await Harness.Orchestra.RunAsync(_dir.Path, "validate", valid, "--server", url);
        var broken = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/broken.yaml", "--server", url);
        var plan = await Harness.Orchestra.RunAsync(_dir.Path, "plan", valid, "--format", "json", "--server", url);
        var brokenPlan = await Harness.Orchestra.RunAsync(_dir.Path, "plan", "templates/broken.yaml", "--format", "json", "--server", url);
        var refused = await Harness.Orchestra.RunAsync(_dir.Path, "validate", outside, "--server", url);
        var local = await Harness.Orchestra.RunAsync(_dir.Path, "validate", outside);

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("valid", ok.Stdout, StringComparison.Ordinal);

        Assert.True(broken.ExitCode == 2, broken.ToString());
        var errors = broken.Stderr.Split('\n').Where(l => l.Contains(": error TOS", StringComparison.Ordinal)).ToArray();
        Assert.Contains(errors, e => e.StartsWith("templates/broken.yaml:5:", StringComparison.Ordinal) && e.Contains("NoSuchType", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("templates/broken.yaml:9:", StringComparison.Ordinal));

        Assert.True(plan.ExitCode == 0, plan.ToString());
        using (var json = JsonDocument.Parse(plan.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("nodes").GetArrayLength() > 0, plan.Stdout);
        }

        Assert.True(brokenPlan.ExitCode == 2, brokenPlan.ToString());
        Assert.Contains("templates/broken.yaml:5:", brokenPlan.Stderr, StringComparison.Ordinal);

        // The CLI alone accepts this template; the server refuses it because it is outside its allowed directories.
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("403", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithServerAndJsonFormat_ReportsTheServersDiagnostics()
    {
        TestTemplates.Invalid(_dir);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/broken.yaml", "--format", "json", "--server", server.BaseAddress.ToString());

        Assert.True(result.ExitCode == 2, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.True(json.RootElement.GetProperty("diagnostics")[0].GetProperty("line").GetInt32() > 0);
    }

    [Fact]
    public async Task ValidateWithServer_ImportsOutsideItsDirectories_AreRefusedUnread_WhileTheLocalCliFollowsThem()
    {
        // Lines ending in ':' read as YAML keys: how /etc/shadow's hashes used to come back in TOS103 messages.
        _dir.Write("elsewhere/shadow", "root:$6$s3cr3tHash:19000:0:99999:7:::\n");
        _dir.Write("elsewhere/types.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\n");
        var template = _dir.Write("templates/imports.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports:
              - ../elsewhere/types.yaml
              - ../elsewhere/shadow
            topology_template:
              node_templates:
                only:
                  type: tosca.nodes.Root
            """);
        var typesOnly = _dir.Write("templates/types-only.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports:
              - ../elsewhere/types.yaml
            topology_template:
              node_templates:
                only:
                  type: tosca.nodes.Root
            """);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);

        var remote = await Harness.Orchestra.RunAsync(_dir.Path, "validate", template, "--server", server.BaseAddress.ToString());
        var local = await Harness.Orchestra.RunAsync(_dir.Path, "validate", typesOnly);

        Assert.True(remote.ExitCode == 2, remote.ToString());
        var errors = remote.Stderr.Split('\n').Where(l => l.Contains(": error TOS109", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, errors.Length);
        Assert.DoesNotContain("s3cr3t", remote.ToString(), StringComparison.Ordinal);
        Assert.True(local.ExitCode == 0, local.ToString());
    }
}
