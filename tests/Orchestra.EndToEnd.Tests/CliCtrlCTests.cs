using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// Ctrl-C during <c>orchestra deploy</c>, as docs/cli.md promises it: the first cancels cleanly (running scripts stopped, the
/// cancellation journaled, exit 1), a second detaches at once (exit 130) leaving the journal for <c>orchestra resume</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliCtrlCTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private string[] Runs() => File.ReadAllLines(Path.Combine(_dir.Path, "runs.log"));

    private async Task<string[]> HistoryKindsAsync(string name)
    {
        var history = await Run("history", name, "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        using var json = JsonDocument.Parse(history.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString() + (e.TryGetProperty("node", out var n) ? " " + n.GetString() : string.Empty))];
    }

    [Fact]
    public async Task CtrlC_Once_StopsTheRunningScript_JournalsTheCancel_AndExitsOne()
    {
        var template = TestTemplates.Blocking(_dir);
        await using var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", template, "--store", _dir.Store);
        var script = await Eventually.PidFileAsync(Path.Combine(_dir.Path, "pids", "a.pid"), Patience);

        deploy.Interrupt();
        var result = await deploy.WaitForExitAsync(Patience);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Cancelling 'slow' (press Ctrl-C again to detach", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Deployment 'slow' Cancelled", result.Stdout, StringComparison.Ordinal);
        Assert.False(Eventually.IsAlive(script), $"a's script (pid {script}) still runs after the cancel");
        Assert.Equal(["a Standard.create 1 started"], Runs());
        Assert.Equal(
            ["deployment-submitted", "task-started a", "deployment-cancel-requested", "task-cancelled a", "deployment-cancelled"],
            await HistoryKindsAsync("slow"));
    }

    [Fact]
    public async Task CtrlC_Twice_DetachesWithExit130_KeepsTheCancelInTheJournal_AndResumeFinishesIt()
    {
        // The script ignores SIGTERM and the grace period outlasts the test: the cancel stays in Cancelling until we detach.
        var template = TestTemplates.Blocking(_dir, ignoreTerm: true);
        var environment = new Dictionary<string, string> { ["ORCHESTRA__ENGINE__KILLGRACEPERIOD"] = "00:05:00" };
        await using var deploy = Harness.Orchestra.Start(_dir.Path, environment, "deploy", template, "--store", _dir.Store);
        await Eventually.PidFileAsync(Path.Combine(_dir.Path, "pids", "a.pid"), Patience);

        deploy.Interrupt();
        await deploy.WaitForOutputAsync(l => l.Contains("slow deployment Cancelling", StringComparison.Ordinal), Patience);
        Assert.False(deploy.HasExited, deploy.Stdout + deploy.Stderr);
        deploy.Interrupt();
        var detached = await deploy.WaitForExitAsync(Patience);

        Assert.True(detached.ExitCode == 130, detached.ToString());
        Assert.Contains("Detached. 'slow' is journaled; continue it with: orchestra resume slow", detached.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Deployment 'slow' Cancelled", detached.Stdout, StringComparison.Ordinal);
        var status = await Run("status", "slow", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal("Cancelling", json.RootElement.GetProperty("status").GetString());
            var a = json.RootElement.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "a");
            Assert.Equal("Running", a.GetProperty("tasks")[0].GetProperty("status").GetString());
        }

        var resume = await Run("resume", "slow");

        Assert.True(resume.ExitCode == 1, resume.ToString());
        Assert.Contains("Deployment 'slow' Cancelled", resume.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            ["deployment-submitted", "task-started a", "deployment-cancel-requested", "task-cancelled a", "deployment-cancelled"],
            await HistoryKindsAsync("slow"));
        // b never started, and a was not started again: the resumed run only finished the cancel.
        Assert.Equal(["a Standard.create 1 started"], Runs().Where(l => l.EndsWith(" started", StringComparison.Ordinal)));
    }
}
