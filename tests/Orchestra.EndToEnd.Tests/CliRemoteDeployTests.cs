using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary><c>deploy --server</c> against a real <c>orchestra serve</c>: the command shows every step, even those over before it subscribed.</summary>
[Trait("Category", "Integration")]
public sealed class CliRemoteDeployTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Templates => Path.Combine(_dir.Path, "templates");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DeployWithServer_OfATemplateThatFailsAndRollsBackAtOnce_ShowsTheFailureAndEveryRollbackStep()
    {
        // Built-in operations only: the failure and the whole rollback are journaled within milliseconds of the submission.
        var template = _dir.Write("templates/fast.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                network:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create: orchestra:noop
                        delete: orchestra:noop
                volume:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: network
                  interfaces:
                    Standard:
                      operations:
                        create: orchestra:noop
                        delete: orchestra:noop
                app:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: volume
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: orchestra:fail
                          inputs: { message: app cannot start }
              policies:
                - undo:
                    type: orchestra.policies.OnFailure
                    properties: { action: rollback }
            """);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);

        var deploy = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", template, "--server", server.BaseAddress.ToString());
        var history = await server.Http.GetFromJsonAsync<JsonElement>("api/deployments/fast/history");

        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        var lines = deploy.Stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains("fast submitted", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("fast app Standard.create attempt 1 FAILED: app cannot start", StringComparison.Ordinal));
        foreach (var node in new[] { "volume", "network" })
        {
            Assert.Contains(lines, l => l.Contains($"fast {node} Standard.delete (reverting Standard.create)", StringComparison.Ordinal) && l.EndsWith(" succeeded", StringComparison.Ordinal));
        }

        // Every step the journal holds is on the screen, once.
        var steps = history.EnumerateArray().Count(h => h.GetProperty("kind").GetString()!.StartsWith("task-", StringComparison.Ordinal));
        Assert.Equal(steps, lines.Count(l => l.StartsWith(' ') is false && l.Contains(" fast ", StringComparison.Ordinal) && l.Contains(" Standard.", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("deployment RolledBack", StringComparison.Ordinal));
        Assert.Contains("Deployment 'fast' RolledBack", deploy.Stdout, StringComparison.Ordinal);
    }
}
