using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// <c>validate</c> and <c>deploy</c>, driven as processes, catch what would certainly fail when the deployment runs: each a located
/// error, and <c>deploy</c> journals nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliCertainFailureTests : IDisposable
{
    // Line numbers matter: the test checks FILE:LINE:COL of each error.
    private const string Broken = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          inputs:
            password: { type: string }
          node_templates:
            missing:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create: scripts/not_there.sh
            playbook:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create: site.yml
            server:
              type: tosca.nodes.NoSuchCompute
            app:
              type: tosca.nodes.WebApplication
              requirements:
                - host: vm
                - dependency: server
            vm:
              type: tosca.nodes.Compute
          workflows:
            deploy:
              steps:
                s: { target: missing, activities: [ { set_state: created } ] }
        """;

    private const string NeedsPassword = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          inputs:
            password: { type: string }
          node_templates:
            only:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create:
                    implementation: scripts/create.sh
                    inputs: { PASSWORD: { get_input: password }, RAN: ran.log }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Validate_TemplateThatWouldCertainlyFail_ReportsEachLocatedError_AndNoFollowOnErrors_ExitsTwo()
    {
        _dir.Write("templates/site.yml", "vars: { a: 1 }\n");
        _dir.Write("templates/broken.yaml", Broken);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/broken.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        var diagnostics = result.Stderr.Split('\n').Where(l => l.StartsWith("templates/broken.yaml:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            [
                "templates/broken.yaml:4:5: error TOS603",
                "templates/broken.yaml:10:19: error TOS609",
                "templates/broken.yaml:15:19: error TOS611",
                "templates/broken.yaml:17:13: error TOS201",
                "templates/broken.yaml:21:17: error TOS403",
                "templates/broken.yaml:25:3: warning TOS414",
            ],
            diagnostics.Select(d => d[..d.IndexOf(':', d.IndexOf("TOS", StringComparison.Ordinal))]));
        Assert.Contains("broken.yaml: 5 errors.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RequiredInput_IsAnError_UntilItIsSupplied_AsDeployTakesIt()
    {
        _dir.Write("templates/scripts/create.sh", "#!/bin/bash\necho \"$PASSWORD\" > \"$RAN\"\n");
        _dir.Write("templates/needs.yaml", NeedsPassword);
        _dir.Write("inputs.yaml", "password: s3cret\n");

        var without = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/needs.yaml");
        var withInput = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/needs.yaml", "-i", "password=x");
        var withFile = await Harness.Orchestra.RunAsync(_dir.Path, "validate", "templates/needs.yaml", "--inputs-file", "inputs.yaml");

        Assert.True(without.ExitCode == 2, without.ToString());
        Assert.Contains("templates/needs.yaml:4:5: error TOS603: input 'password' has no value and no default; supply one (e.g. --input password=...)", without.Stderr, StringComparison.Ordinal);
        Assert.True(withInput.ExitCode == 0, withInput.ToString());
        Assert.True(withFile.ExitCode == 0, withFile.ToString());
    }

    [Fact]
    public async Task Deploy_WithoutARequiredInput_IsRefusedBeforeAnythingIsJournaled_AndRunsWithIt()
    {
        _dir.Write("templates/scripts/create.sh", "#!/bin/bash\necho \"$PASSWORD\" > \"$RAN\"\n");
        _dir.Write("templates/needs.yaml", NeedsPassword);

        var refused = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/needs.yaml", "--store", _dir.Store);
        var list = await Harness.Orchestra.RunAsync(_dir.Path, "list", "--json", "--store", _dir.Store);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("templates/needs.yaml:4:5: error TOS603", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("[]", list.Stdout.Trim());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "templates", "ran.log")));

        var deployed = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/needs.yaml", "-i", "password=s3cret", "--store", _dir.Store);

        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.Equal("s3cret", File.ReadAllText(Path.Combine(_dir.Path, "templates", "ran.log")).Trim());
    }

    [Fact]
    public async Task Deploy_WithAMissingScript_IsRefusedWithItsPosition_AndJournalsNothing()
    {
        _dir.Write("templates/broken.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                first:
                  type: tosca.nodes.Root
                  interfaces: { Standard: { create: orchestra:noop } }
                second:
                  type: tosca.nodes.Root
                  requirements: [ { dependency: first } ]
                  interfaces: { Standard: { create: scripts/not_there.sh } }
            """);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/broken.yaml", "--store", _dir.Store);
        var list = await Harness.Orchestra.RunAsync(_dir.Path, "list", "--json", "--store", _dir.Store);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("templates/broken.yaml:10:41: error TOS609: implementation 'scripts/not_there.sh' of operation 'Standard.create' does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("[]", list.Stdout.Trim());
    }
}
