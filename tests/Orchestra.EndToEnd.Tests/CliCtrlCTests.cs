using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// Ctrl-C during <c>orchestra deploy</c> and <c>resume</c>, as docs/cli.md promises it: the first pauses (journaled, with a reason naming
/// Ctrl-C): no new operation starts, the running ones finish, and the command exits 130 once the deployment is paused; a second one kills
/// the running operations' scripts, leaves them to run again on <c>orchestra resume</c> (nothing is cancelled), and exits 130.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliCtrlCTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private async Task<JsonElement[]> HistoryAsync(string name)
    {
        var history = await Run("history", name, "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        using var json = JsonDocument.Parse(history.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string[] Kinds(JsonElement[] history) =>
        [.. history.Select(e => e.GetProperty("kind").GetString() + (e.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String ? " " + n.GetString() : string.Empty))];

    private async Task<string> StatusAsync(string name)
    {
        var status = await Run("status", name, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using var json = JsonDocument.Parse(status.Stdout);
        return json.RootElement.GetProperty("status").GetString()!;
    }

    [Fact]
    public async Task CtrlC_Once_StartsNothingNew_LetsTheRunningScriptFinish_AndLeavesItPaused()
    {
        var gated = new GatedTemplate(_dir);
        await using var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", gated.Path, "--store", _dir.Store);
        await gated.StartedAsync("a", Patience);

        deploy.Interrupt();
        await deploy.WaitForOutputAsync("Ctrl-C: pausing 'gated'", Patience);
        // The pause is journaled before a is let go: otherwise a could finish, and b start, before it lands.
        await deploy.WaitForOutputAsync(l => l.Contains("gated deployment Pausing", StringComparison.Ordinal), Patience);
        Assert.False(deploy.HasExited, deploy.Stdout + deploy.Stderr);
        gated.Release("a");
        gated.Release("b");
        var result = await deploy.WaitForExitAsync(Patience);

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("press Ctrl-C again to stop them", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Deployment 'gated' Paused", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("continue it with: orchestra resume gated", result.Stderr.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(["a Standard.create 1 started", "a Standard.create 1 finished"], gated.Runs());
        var history = await HistoryAsync("gated");
        Assert.Equal(
            ["deployment-submitted", "task-started a", "deployment-pause-requested", "task-succeeded a", "deployment-paused"],
            Kinds(history));
        Assert.Contains("Ctrl-C", history[2].GetProperty("message").GetString(), StringComparison.Ordinal);

        var resume = await Run("resume", "gated");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal(
            ["a Standard.create 1 started", "a Standard.create 1 finished", "b Standard.create 1 started", "b Standard.create 1 finished"],
            gated.Runs());
    }

    [Fact]
    public async Task CtrlC_Twice_KillsTheRunningScript_LeavesItResumableNotCancelled_AndResumeRunsItAgain()
    {
        var gated = new GatedTemplate(_dir);
        await using var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", gated.Path, "--store", _dir.Store);
        var script = await gated.StartedAsync("a", Patience);

        deploy.Interrupt();
        await deploy.WaitForOutputAsync("Ctrl-C: pausing 'gated'", Patience);
        await deploy.WaitForOutputAsync(l => l.Contains("gated deployment Pausing", StringComparison.Ordinal), Patience);
        deploy.Interrupt();
        var stopped = await deploy.WaitForExitAsync(Patience);

        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        Assert.False(Eventually.IsAlive(script), $"a's script (pid {script}) still runs after the second Ctrl-C");
        Assert.EndsWith("they run again with: orchestra resume gated", stopped.Stderr.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("Cancelled", stopped.Stdout + stopped.Stderr, StringComparison.Ordinal);
        Assert.Equal(["a Standard.create 1 started"], gated.Runs());
        Assert.Equal(["deployment-submitted", "task-started a", "deployment-pause-requested"], Kinds(await HistoryAsync("gated")));
        Assert.Equal("Pausing", await StatusAsync("gated"));

        gated.Release("a");
        gated.Release("b");
        var resume = await Run("resume", "gated");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("Deployment 'gated' Succeeded", resume.Stdout, StringComparison.Ordinal);
        // The killed attempt runs again (same attempt, same idempotency key); b runs once.
        Assert.Equal(
            ["a Standard.create 1 started", "a Standard.create 1 started", "a Standard.create 1 finished", "b Standard.create 1 started", "b Standard.create 1 finished"],
            gated.Runs());
    }

    [Fact]
    public async Task CtrlC_DuringResume_PausesItAgain()
    {
        var gated = new GatedTemplate(_dir);
        gated.Release("a");
        var detach = await Run("deploy", gated.Path, "--detach");
        Assert.True(detach.ExitCode == 0, detach.ToString());
        await using var resume = Harness.Orchestra.Start(_dir.Path, null, "resume", "gated", "--store", _dir.Store);
        await gated.StartedAsync("b", Patience);

        resume.Interrupt();
        await resume.WaitForOutputAsync("Ctrl-C: pausing 'gated'", Patience);
        await resume.WaitForOutputAsync(l => l.Contains("gated deployment Pausing", StringComparison.Ordinal), Patience);
        gated.Release("b");
        var result = await resume.WaitForExitAsync(Patience);

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("Deployment 'gated' Paused", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("Paused", await StatusAsync("gated"));
    }
}
