using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// <c>orchestra pause</c> and <c>cancel</c> from a second terminal on the same local store while another <c>orchestra</c> process drives
/// the deployment (and holds its lease): the command reaches that process through its control socket, which journals it; the second
/// process never writes the deployment's journal itself. And what they do when no process drives it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliSecondTerminalTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private OrchestraProcess Start(params string[] args) => Harness.Orchestra.Start(_dir.Path, null, [.. args, "--store", _dir.Store]);

    private async Task<JsonElement[]> HistoryAsync(string name)
    {
        var history = await Run("history", name, "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        using var json = JsonDocument.Parse(history.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string[] Kinds(JsonElement[] history) =>
        [.. history.Select(e => e.GetProperty("kind").GetString() + (e.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String ? " " + n.GetString() : string.Empty))];

    [Fact]
    public async Task Pause_FromASecondProcess_ReachesTheDrivingProcess_WhichPausesIt()
    {
        var gated = new GatedTemplate(_dir);
        await using var driver = Start("deploy", gated.Path);
        await gated.StartedAsync("a", Patience);

        await using var pause = Start("pause", "gated", "--reason", "from terminal B");
        await pause.WaitForOutputAsync($"process {driver.Id}", Patience);
        Assert.False(driver.HasExited, driver.Stdout + driver.Stderr);
        gated.Release("a");
        gated.Release("b");
        var paused = await pause.WaitForExitAsync(Patience);
        var driven = await driver.WaitForExitAsync(Patience);

        Assert.True(paused.ExitCode == 0, paused.ToString());
        Assert.Contains("Deployment 'gated' Paused", paused.Stdout, StringComparison.Ordinal);
        Assert.True(driven.ExitCode == 1, driven.ToString());
        Assert.Contains("Deployment 'gated' Paused", driven.Stdout, StringComparison.Ordinal);
        Assert.Contains("orchestra resume gated", driven.Stderr, StringComparison.Ordinal);
        Assert.Equal(["a Standard.create 1 started", "a Standard.create 1 finished"], gated.Runs());
        var history = await HistoryAsync("gated");
        Assert.Equal(
            ["deployment-submitted", "task-started a", "deployment-pause-requested", "task-succeeded a", "deployment-paused"],
            Kinds(history));
        Assert.Equal("from terminal B", history[2].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Cancel_FromASecondProcess_ReachesTheDrivingProcess_WhichKillsTheScriptAndCancels()
    {
        var gated = new GatedTemplate(_dir);
        await using var driver = Start("deploy", gated.Path);
        var script = await gated.StartedAsync("a", Patience);

        var cancel = await Run("cancel", "gated");
        var driven = await driver.WaitForExitAsync(Patience);

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains($"process {driver.Id}", cancel.Stdout + cancel.Stderr, StringComparison.Ordinal);
        Assert.Contains("Deployment 'gated' Cancelled", cancel.Stdout, StringComparison.Ordinal);
        Assert.True(driven.ExitCode == 1, driven.ToString());
        Assert.Contains("Deployment 'gated' Cancelled", driven.Stdout, StringComparison.Ordinal);
        Assert.False(Eventually.IsAlive(script), $"a's script (pid {script}) still runs after the cancel");
        Assert.Equal(["a Standard.create 1 started"], gated.Runs());
        Assert.Equal(
            ["deployment-submitted", "task-started a", "deployment-cancel-requested", "task-cancelled a", "deployment-cancelled"],
            Kinds(await HistoryAsync("gated")));
    }

    [Fact]
    public async Task Pause_WhenNoProcessDrivesIt_SaysSo_AndPausesItWithoutStartingAnything()
    {
        var gated = new GatedTemplate(_dir);
        var detach = await Run("deploy", gated.Path, "--detach");
        Assert.True(detach.ExitCode == 0, detach.ToString());

        var pause = await Run("pause", "gated");

        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Contains("No process drives 'gated'", pause.Stdout + pause.Stderr, StringComparison.Ordinal);
        Assert.Contains("Deployment 'gated' Paused", pause.Stdout, StringComparison.Ordinal);
        Assert.Empty(gated.Runs());
        Assert.Equal(["deployment-submitted", "deployment-pause-requested", "deployment-paused"], Kinds(await HistoryAsync("gated")));
    }

    [Fact]
    public async Task Cancel_AfterTheDrivingProcessWasKilled_SaysNoProcessDrivesIt_RecordsTheOperationCancelled_AndStopsItsScript()
    {
        var gated = new GatedTemplate(_dir);
        int script;
        await using (var driver = Start("deploy", gated.Path))
        {
            script = await gated.StartedAsync("a", Patience);
            driver.KillHard();
            await driver.WaitForExitAsync(Patience);
        }

        Assert.True(Eventually.IsAlive(script), "the script should outlive its killed orchestrator (its own process group)");

        var cancel = await Run("cancel", "gated");

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains("No process drives 'gated'; cancelling it here.", cancel.Stderr, StringComparison.Ordinal);
        Assert.Contains("Deployment 'gated' Cancelled", cancel.Stdout, StringComparison.Ordinal);
        Assert.False(Eventually.IsAlive(script), $"a's script (pid {script}) still runs after the cancel");
        // Not run again just to be stopped: the cancel is decided before recovery would rerun it.
        Assert.Equal(["a Standard.create 1 started"], gated.Runs());
        Assert.Equal(
            ["deployment-submitted", "task-started a", "deployment-cancel-requested", "task-cancelled a", "deployment-cancelled"],
            Kinds(await HistoryAsync("gated")));
    }
}
