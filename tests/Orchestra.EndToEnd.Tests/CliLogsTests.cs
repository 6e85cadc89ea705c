using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary><c>orchestra logs</c>, the tail under a failure in <c>status</c>, and <c>GET /api/deployments/{id}/logs</c>, with the real executable.</summary>
[Trait("Category", "Integration")]
public sealed class CliLogsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    /// <summary>
    /// Node web prints a line to stdout and 15 to stderr, and fails until attempt <paramref name="failUntil"/> (two attempts allowed);
    /// node other prints one line and succeeds.
    /// </summary>
    private string Talkative(int failUntil)
    {
        _dir.Write("templates/talk.sh", """
            #!/usr/bin/env bash
            echo "hello from attempt $ORCHESTRA_ATTEMPT"
            printf '\033[31mred\033[0m\n'
            for i in $(seq 1 15); do echo "err line $i of attempt $ORCHESTRA_ATTEMPT" >&2; done
            if [ "$ORCHESTRA_ATTEMPT" -lt "$FAIL_UNTIL" ]; then exit 3; fi
            """);
        _dir.Write("templates/other.sh", """
            #!/usr/bin/env bash
            echo "other says hi"
            """);
        return _dir.Write("templates/talk.yaml", $$"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: talk.sh
                          inputs: { FAIL_UNTIL: "{{failUntil}}" }
                other:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create: other.sh
              policies:
                - retry_web:
                    type: orchestra.policies.Retry
                    targets: [ web ]
                    properties:
                      max_attempts: 2
                      delay: 50 ms
            """);
    }

    [Fact]
    public async Task Logs_RetriedOperation_PrintsEveryAttemptUnderItsHeader_FiltersAndJson()
    {
        var deploy = await Run("deploy", Talkative(failUntil: 2), "--name", "talk");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        var all = await Run("logs", "talk");
        Assert.True(all.ExitCode == 0, all.ToString());
        var text = all.Stdout;
        Assert.Contains("==> web Standard.create #1 (failed, exit code 3) stdout <==\nhello from attempt 1\n\u001b[31mred\u001b[0m\n", text, StringComparison.Ordinal);
        Assert.Contains("==> web Standard.create #1 (failed, exit code 3) stderr <==\nerr line 1 of attempt 1\n", text, StringComparison.Ordinal);
        Assert.Contains("err line 15 of attempt 1\n", text, StringComparison.Ordinal);
        Assert.Contains("==> web Standard.create #2 (succeeded) stdout <==\nhello from attempt 2\n", text, StringComparison.Ordinal);
        Assert.Contains("==> other Standard.create #1 (succeeded) stdout <==\nother says hi\n", text, StringComparison.Ordinal);

        var one = await Run("logs", "talk", "web.create", "--attempt", "2");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("hello from attempt 2", one.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 1", one.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("other", one.Stdout, StringComparison.Ordinal);

        var node = await Run("logs", "talk", "other");
        Assert.Contains("other says hi", node.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("web", node.Stdout, StringComparison.Ordinal);

        var json = await Run("logs", "talk", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            var attempts = document.RootElement.GetProperty("attempts").EnumerateArray().ToList();
            Assert.Equal(3, attempts.Count);
            var first = attempts.Single(a => a.GetProperty("node").GetString() == "web" && a.GetProperty("attempt").GetInt32() == 1);
            Assert.Equal("Failed", first.GetProperty("outcome").GetString());
            Assert.Equal(3, first.GetProperty("exitCode").GetInt32());
            Assert.StartsWith("err line 1 of attempt 1\n", first.GetProperty("stderr").GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.False(first.GetProperty("stderr").GetProperty("truncated").GetBoolean());
        }

        var unknownNode = await Run("logs", "talk", "nope");
        Assert.Equal(1, unknownNode.ExitCode);
        Assert.Contains("Deployment 'talk' has no node 'nope'; its nodes: web, other.", unknownNode.Stderr, StringComparison.Ordinal);
        var unknownOperation = await Run("logs", "talk", "web.stop");
        Assert.Contains("Node 'web' has no operation 'stop'; its operations: Standard.create.", unknownOperation.Stderr, StringComparison.Ordinal);
        var unknownAttempt = await Run("logs", "talk", "web.create", "--attempt", "5");
        Assert.Contains("There is no attempt 5 of web Standard.create; its attempts: 1, 2.", unknownAttempt.Stderr, StringComparison.Ordinal);
        var missing = await Run("logs", "nothing-here");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no deployment 'nothing-here'", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_HaltedDeployment_ShowsTheLastTenLinesOfTheFailedAttemptsStderr()
    {
        var deploy = await Run("deploy", Talkative(failUntil: 99), "--name", "talk");
        Assert.True(deploy.ExitCode == 1, deploy.ToString());

        var status = await Run("status", "talk");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("stderr of attempt 2, last 10 lines; orchestra logs shows more:\n", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("      | err line 6 of attempt 2\n", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("      | err line 15 of attempt 2", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\n      | err line 5 of attempt 2\n", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("of attempt 1", status.Stdout.Split("stderr of attempt 2")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_OnATerminal_NeutralisesTheScriptsEscapeSequences()
    {
        var deploy = await Run("deploy", Talkative(failUntil: 1), "--name", "talk");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        // script(1) (util-linux) runs the command on a pseudo-terminal, as a user's shell would.
        var command = $"dotnet '{Harness.Orchestra.Dll}' logs talk web --store '{_dir.Store}'";
        var terminal = await RunProcessAsync("/usr/bin/script", "-qec", command, "/dev/null");

        Assert.True(terminal.ExitCode == 0, terminal.ToString());
        Assert.Contains("^[[31mred^[[0m", terminal.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[31m", terminal.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_ThroughTheServer_TheApiSelects_AndFollowShowsLinesWhileTheScriptRuns()
    {
        var flag = Path.Combine(_dir.Path, "go");
        _dir.Write("templates/wait.sh", """
            #!/usr/bin/env bash
            n=0
            while [ ! -e "$FLAG" ]; do n=$((n+1)); echo "waiting for go ($n)"; sleep 0.2; done
            echo "second line" >&2
            """);
        var template = _dir.Write("templates/wait.yaml", $$"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                a:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: wait.sh
                          inputs: { FLAG: "{{flag}}" }
            """);
        await using var server = await ServerProcess.StartAsync(_dir, Path.Combine(_dir.Path, "templates"));
        var created = await server.Http.PostAsJsonAsync("api/deployments", new { id = "waiting", templatePath = template });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await using var follow = Harness.Orchestra.Start(_dir.Path, null, "logs", "waiting", "--follow", "--server", server.BaseAddress.ToString());
        await follow.WaitForOutputAsync("==> a Standard.create #1 (running) stdout <==", Patience);
        await follow.WaitForOutputAsync(l => l.StartsWith("waiting for go (", StringComparison.Ordinal), Patience);
        Assert.False(follow.HasExited);
        await File.WriteAllTextAsync(flag, "go");
        var followed = await follow.WaitForExitAsync(Patience);

        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Contains("==> a Standard.create #1 (running) stderr <==\nsecond line\n", followed.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("==> a Standard.create #1 succeeded <==\n", followed.Stdout, StringComparison.Ordinal);

        var logs = await server.Http.GetFromJsonAsync<JsonElement>("api/deployments/waiting/logs?node=a&operation=create&attempt=1");
        var attempt = Assert.Single(logs.GetProperty("attempts").EnumerateArray());
        Assert.Equal("Succeeded", attempt.GetProperty("outcome").GetString());
        Assert.Equal("second line", attempt.GetProperty("stderr").GetProperty("text").GetString());
        Assert.StartsWith("waiting for go (1)\n", attempt.GetProperty("stdout").GetProperty("text").GetString(), StringComparison.Ordinal);

        using var unknown = await server.Http.GetAsync("api/deployments/waiting/logs?node=b");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:orchestra:problem:selection-not-found", problem.GetProperty("type").GetString());
        Assert.Equal("Deployment 'waiting' has no node 'b'; its nodes: a.", problem.GetProperty("detail").GetString());
        using var badAttempt = await server.Http.GetAsync("api/deployments/waiting/logs?attempt=first");
        Assert.Equal(HttpStatusCode.BadRequest, badAttempt.StatusCode);
        using var noDeployment = await server.Http.GetAsync("api/deployments/nope/logs");
        Assert.Equal(HttpStatusCode.NotFound, noDeployment.StatusCode);

        var cli = await Harness.Orchestra.RunAsync(_dir.Path, "logs", "waiting", "a", "--attempt", "2", "--server", server.BaseAddress.ToString());
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("There is no attempt 2 of node 'a'; its attempts: 1.", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_FollowOnALocalStoreDrivenByAnotherProcess_PrintsEachAttemptOnceItEnds_UntilSettled()
    {
        var flag = Path.Combine(_dir.Path, "go");
        var started = Path.Combine(_dir.Path, "started");
        _dir.Write("templates/gate.sh", """
            #!/usr/bin/env bash
            echo "$ORCHESTRA_NODE is up"
            echo yes > "$STARTED"
            while [ ! -e "$FLAG" ]; do sleep 0.1; done
            echo "$ORCHESTRA_NODE is done" >&2
            """);
        var template = _dir.Write("templates/gated.yaml", $$"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                a:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: gate.sh
                          inputs: { FLAG: "{{flag}}", STARTED: "{{started}}" }
                b:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: a
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: gate.sh
                          inputs: { FLAG: "{{flag}}", STARTED: "{{started}}" }
            """);
        await using var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", template, "--store", _dir.Store);
        await Eventually.FileContentAsync(started, Patience);

        await using var follow = Harness.Orchestra.Start(_dir.Path, null, "logs", "gated", "--follow", "--store", _dir.Store);
        await follow.WaitForOutputAsync("orchestra: following 'gated' in the local store", Patience);
        Assert.False(follow.HasExited);
        await File.WriteAllTextAsync(flag, "go");
        var deployed = await deploy.WaitForExitAsync(Patience);
        var followed = await follow.WaitForExitAsync(Patience);

        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Contains("==> a Standard.create #1 (succeeded) stdout <==\na is up\n==> a Standard.create #1 (succeeded) stderr <==\na is done\n", followed.Stdout, StringComparison.Ordinal);
        Assert.Contains("==> b Standard.create #1 (succeeded) stdout <==\nb is up\n", followed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("running", followed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_OfAReleaseOneStore_ListsTheAttemptsThatHaveNoOutputKept()
    {
        Directory.CreateDirectory(_dir.Store);
        File.Copy(Path.Combine(Harness.Orchestra.RepositoryRoot, "tests", "fixtures", "store-v1", "orchestra.db"), Path.Combine(_dir.Store, "orchestra.db"));

        var logs = await Run("logs", "halted");

        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Equal("==> a Standard.create #1 (succeeded): no output <==\n==> b Standard.create #1 (failed, exit code 1): no output <==\n", logs.Stdout);
        var status = await Run("status", "halted");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("b refuses", status.Stdout, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> RunProcessAsync(string program, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["XDG_STATE_HOME"] = Harness.Orchestra.StateHome;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return new ProcessResult(process.ExitCode, (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal), await stderr);
    }
}
