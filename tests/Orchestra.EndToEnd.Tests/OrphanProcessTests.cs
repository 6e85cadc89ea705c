using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// An operation's script runs in its own process group, so it outlives an orchestrator killed with SIGKILL. <c>orchestra resume</c>
/// runs the interrupted operation again, as the durability contract says; it must first stop the copy still running, or the
/// operation runs twice at once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OrphanProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private string[] Runs() => File.ReadAllLines(Path.Combine(_dir.Path, "runs.log"));

    [Fact]
    public async Task Resume_AfterSigkill_StopsTheOrphanedScriptBeforeRunningItsOperationAgain()
    {
        var template = ChainWithSlowFirstB();
        int orphan;
        await using (var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", template, "--store", _dir.Store))
        {
            orphan = await Eventually.PidFileAsync(Path.Combine(_dir.Path, "pids", "b.pid"), Patience);
            // Only the orchestrator dies: b's script, in its own process group, keeps running. That is the point.
            deploy.KillHard();
            await deploy.WaitForExitAsync(Patience);
        }

        try
        {
            Assert.True(Eventually.IsAlive(orphan), $"b's script (pid {orphan}) died with the orchestrator: nothing to test");
            Assert.Equal(["a Standard.create 1"], Runs());

            var resume = await Run("resume", "chain");

            Assert.True(resume.ExitCode == 0, resume.ToString());
            Assert.Contains("Deployment 'chain' Succeeded", resume.Stdout, StringComparison.Ordinal);
            Assert.False(Eventually.IsAlive(orphan), $"b's first script (pid {orphan}) still runs after the resume");
            Assert.Contains($"left running by a previous run of chain b Standard.create (pid {orphan}", resume.Stderr, StringComparison.Ordinal);
            // b's side effect (after its sleep) happened once: the orphan was stopped before it got there, and b ran again once.
            Assert.Equal(["a Standard.create 1", "b Standard.create 1", "c Standard.create 1"], Runs());
            Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Store, "processes")));

            var history = await Run("history", "chain", "--json");
            using var json = JsonDocument.Parse(history.Stdout);
            var started = json.RootElement.EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() == "task-started" && e.GetProperty("node").GetString() == "b")
                .Select(e => e.GetProperty("message").GetString())
                .ToArray();
            Assert.Equal(2, started.Length);
            Assert.StartsWith("re-run after recovery", started[1], StringComparison.Ordinal);
        }
        finally
        {
            if (Eventually.IsAlive(orphan))
            {
                Signals.KillGroup(orphan);
            }
        }
    }

    /// <summary>
    /// A chain a -> b -> c. Each create writes its pid to <c>pids/NODE.pid</c>, then appends "NODE OPERATION ATTEMPT" to
    /// <c>runs.log</c>. b's first run waits before appending, until the test's directory is gone (at most a minute): only a kill
    /// ends it early. Its re-run does not wait, so the test stays short.
    /// </summary>
    private string ChainWithSlowFirstB()
    {
        _dir.Write("templates/scripts/step.sh", """
            #!/usr/bin/env bash
            set -euo pipefail
            mkdir -p "$TEST_DIR/pids" && echo $$ > "$TEST_DIR/pids/$ORCHESTRA_NODE.pid.tmp" && mv "$TEST_DIR/pids/$ORCHESTRA_NODE.pid.tmp" "$TEST_DIR/pids/$ORCHESTRA_NODE.pid"
            if [ "$ORCHESTRA_NODE" = b ] && mkdir "$TEST_DIR/b-first-run" 2>/dev/null; then
              end=$((SECONDS + 60))
              while [ -d "$TEST_DIR" ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
            fi
            echo "$ORCHESTRA_NODE $ORCHESTRA_OPERATION $ORCHESTRA_ATTEMPT" >> "$TEST_DIR/runs.log"
            """);
        var yaml = new System.Text.StringBuilder()
            .AppendLine("tosca_definitions_version: tosca_simple_yaml_1_3")
            .AppendLine("topology_template:")
            .AppendLine("  node_templates:");
        foreach (var (node, after) in new[] { ("a", (string?)null), ("b", "a"), ("c", "b") })
        {
            yaml.AppendLine($"    {node}:").AppendLine("      type: tosca.nodes.Root");
            if (after is not null)
            {
                yaml.AppendLine("      requirements:").AppendLine($"        - dependency: {after}");
            }

            yaml.AppendLine("      interfaces:")
                .AppendLine("        Standard:")
                .AppendLine("          operations:")
                .AppendLine("            create:")
                .AppendLine("              implementation: scripts/step.sh")
                .AppendLine($"              inputs: {{ TEST_DIR: \"{_dir.Path}\" }}");
        }

        return _dir.Write("templates/chain.yaml", yaml.ToString());
    }
}
