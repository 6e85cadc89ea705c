using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// What the real <c>orchestra</c> prints is honest and quiet: the undeploy summary counts the teardown, retried runs do not count the
/// time they sat halted, a waiting retry says when in seconds, a revert names what runs, <c>TERM=dumb</c> gets plain lines.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class CliOutputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Log => Path.Combine(_dir.Path, "ops.log");

    /// <summary>
    /// Two nodes a -> b; each runs create, configure and start (3 deploy operations) and delete (1 teardown operation); create sleeps
    /// <paramref name="createSeconds"/>. Every script appends "NODE OPERATION PHASE REVERTING" to ops.log; b's start fails when
    /// <paramref name="failStart"/>.
    /// </summary>
    private string TwoNodes(double createSeconds = 0, bool failStart = false)
    {
        _dir.Write("templates/op.sh", """
            #!/usr/bin/env bash
            echo "$ORCHESTRA_NODE $ORCHESTRA_OPERATION $ORCHESTRA_PHASE ${ORCHESTRA_REVERTING:-none}" >> "$LOG"
            if [ "$ORCHESTRA_OPERATION" = "Standard.create" ] && [ "$ORCHESTRA_PHASE" = "deploy" ]; then sleep "$CREATE_SECONDS"; fi
            if [ "$FAIL_START" = "true" ] && [ "$ORCHESTRA_NODE" = "b" ] && [ "$ORCHESTRA_OPERATION" = "Standard.start" ]; then echo "b cannot start" >&2; exit 4; fi
            exit 0
            """);
        var inputs = $"{{ LOG: \"{Log}\", CREATE_SECONDS: {createSeconds.ToString(CultureInfo.InvariantCulture)}, FAIL_START: \"{(failStart ? "true" : "false")}\" }}";
        string Node(string name, string? after) =>
            $"    {name}:\n      type: tosca.nodes.Root\n"
            + (after is null ? string.Empty : $"      requirements:\n        - dependency: {after}\n")
            + "      interfaces:\n        Standard:\n          operations:\n"
            + string.Concat(new[] { "create", "configure", "start", "delete" }.Select(op => $"            {op}: {{ implementation: op.sh, inputs: {inputs} }}\n"));
        return _dir.Write("templates/pair.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n"
            + Node("a", null) + Node("b", "a"));
    }

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private static double SummarySeconds(string stdout)
    {
        var match = SummaryTime().Match(stdout);
        Assert.True(match.Success, stdout);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"operations succeeded in (\d+\.\d)s")]
    private static partial Regex SummaryTime();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d")]
    private static partial Regex RawTimestamp();

    [Fact]
    public async Task Undeploy_Summary_CountsTheTeardownOperationsAndTheirTime()
    {
        TwoNodes(createSeconds: 2.5);
        var deploy = await Run("deploy", "templates/pair.yaml");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("Deployment 'pair' Succeeded: 6/6 operations succeeded in", deploy.Stdout, StringComparison.Ordinal);

        var undeploy = await Run("undeploy", "pair");

        Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        Assert.Contains("Deployment 'pair' Undeployed: 2/2 teardown operations succeeded in", undeploy.Stdout, StringComparison.Ordinal);
        // The creates alone took 5 s; the teardown runs two quick scripts.
        Assert.True(SummarySeconds(undeploy.Stdout) < 2.5, undeploy.Stdout);
    }

    [Fact]
    public async Task Retry_Summary_ExcludesTheTimeTheDeploymentSatHalted_AndPrintsNoRecoveryLine()
    {
        var flag = Path.Combine(_dir.Path, "flag");
        TestTemplates.FailsUntilFlag(_dir, flag);
        var deploy = await Run("deploy", "templates/flaky.yaml");
        Assert.True(deploy.ExitCode == 1, deploy.ToString());

        // The interval under test: the deployment sits halted for 3 s before the operator retries it.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await File.WriteAllTextAsync(flag, "go");
        var retry = await Run("retry", "flaky");

        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Contains("Deployment 'flaky' Succeeded: 1/1 operations succeeded in", retry.Stdout, StringComparison.Ordinal);
        // What it worked: from submission to the halt, then from the retry to the end; not the 3 s between.
        var history = await Run("history", "flaky", "--json");
        using var events = JsonDocument.Parse(history.Stdout);
        DateTimeOffset At(string kind) => events.RootElement.EnumerateArray().First(e => e.GetProperty("kind").GetString() == kind).GetProperty("at").GetDateTimeOffset();
        var worked = (At("deployment-halted") - At("deployment-submitted")) + (At("deployment-succeeded") - At("failed-tasks-retried"));
        Assert.InRange(SummarySeconds(retry.Stdout), worked.TotalSeconds - 0.11, worked.TotalSeconds + 0.11);
        Assert.DoesNotContain("recovered from the journal", retry.Stdout + retry.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("recovered at event", retry.Stdout + retry.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WaitingRetry_SaysRetryInSeconds_InTheLinesAndInStatus()
    {
        _dir.Write("templates/late.sh", """
            #!/usr/bin/env bash
            if [ "$ORCHESTRA_ATTEMPT" = "1" ]; then echo "not yet" >&2; exit 3; fi
            """);
        _dir.Write("templates/late.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                only:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create: late.sh
              policies:
                - retry_later:
                    type: orchestra.policies.Retry
                    targets: [ only ]
                    properties: { max_attempts: 2, delay: 30 s }
            """);
        await using var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", "templates/late.yaml", "--store", _dir.Store);
        await deploy.WaitForOutputAsync("only Standard.create attempt 1 failed", TimeSpan.FromSeconds(60));

        var status = await Run("status", "late");

        Assert.Contains("only Standard.create attempt 1 failed, retry in 30.0 s: ", deploy.Stdout, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.ToString());
        var countdown = System.Text.RegularExpressions.Regex.Match(status.Stdout, @"retry in (\d+\.\d) s");
        Assert.True(countdown.Success, status.Stdout);
        Assert.InRange(double.Parse(countdown.Groups[1].Value, CultureInfo.InvariantCulture), 0, 30);
        Assert.DoesNotMatch(RawTimestamp(), deploy.Stdout + status.Stdout);
    }

    [Fact]
    public async Task Rollback_Revert_TellsTheScriptAndTheUserWhatRunsAndWhatItReverts()
    {
        TwoNodes(failStart: true);

        var deploy = await Run("deploy", "templates/pair.yaml", "--on-failure", "rollback");
        var status = await Run("status", "pair");

        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        var log = await File.ReadAllLinesAsync(Log);
        Assert.Contains("a Standard.delete revert Standard.create", log);
        Assert.Contains("b Standard.delete revert Standard.create", log);
        Assert.Contains("a Standard.create deploy none", log);
        Assert.Contains("a Standard.delete (reverting Standard.create) attempt 1 started", deploy.Stdout, StringComparison.Ordinal);
        Assert.Contains("Standard.delete (reverting Standard.create)", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outputs_OfAnUndeployedDeployment_SaysSoAndExitsOne()
    {
        TestTemplates.Chain(_dir);
        Assert.Equal(0, (await Run("deploy", "templates/chain.yaml")).ExitCode);
        Assert.Equal(0, (await Run("undeploy", "chain")).ExitCode);

        var outputs = await Run("outputs", "chain");

        Assert.True(outputs.ExitCode == 1, outputs.ToString());
        Assert.Equal(string.Empty, outputs.Stdout.Trim());
        Assert.Contains("'chain' is undeployed", outputs.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_OnADumbTerminal_PrintsPlainLinesWithoutCursorMovementOrColour()
    {
        TestTemplates.Chain(_dir);
        var command = string.Join(' ', new[] { "dotnet", Harness.Orchestra.Dll, "deploy", "templates/chain.yaml", "--store", _dir.Store }.Select(a => "'" + a + "'"));

        // script(1) gives the command a terminal of its own, as a user's shell has.
        var info = new System.Diagnostics.ProcessStartInfo("script", ["-qefc", command, "/dev/null"])
        {
            WorkingDirectory = _dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["TERM"] = "dumb";
        info.Environment["XDG_STATE_HOME"] = Harness.Orchestra.StateHome;
        info.Environment.Remove("ORCHESTRA_STORE");
        await using var process = new OrchestraProcess(System.Diagnostics.Process.Start(info)!, "deploy under script(1)");
        var result = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("chain a Standard.create attempt 1 started", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Deployment 'chain' Succeeded", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Stdout);
        Assert.DoesNotContain("╭", result.Stdout, StringComparison.Ordinal);
    }
}
