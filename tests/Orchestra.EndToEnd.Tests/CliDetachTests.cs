using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// <c>orchestra deploy --detach</c> on the local store: it journals the submission and starts nothing in its own process, and says
/// truthfully what will run it: a running <c>orchestra serve</c> on the same store, which it hands the deployment to, or nothing until
/// <c>orchestra resume</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliDetachTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private async Task<string[]> KindsAsync(string name)
    {
        var history = await Run("history", name, "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        using var json = JsonDocument.Parse(history.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!)];
    }

    [Fact]
    public async Task Detach_WithoutAServer_JournalsOnlyTheSubmission_StartsNothing_AndSaysWhatRunsIt()
    {
        var gated = new GatedTemplate(_dir);

        var detach = await Run("deploy", gated.Path, "--detach");

        Assert.True(detach.ExitCode == 0, detach.ToString());
        Assert.Contains("Submitted 'gated'; nothing runs it until `orchestra resume gated` or a server on this store starts.", detach.Stdout, StringComparison.Ordinal);
        Assert.Empty(gated.Runs());
        Assert.Equal(["deployment-submitted"], await KindsAsync("gated"));

        gated.Release("a");
        gated.Release("b");
        var resume = await Run("resume", "gated");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal(["a Standard.create 1 started", "a Standard.create 1 finished", "b Standard.create 1 started", "b Standard.create 1 finished"], gated.Runs());
    }

    [Fact]
    public async Task Detach_WithAServerOnTheStore_HandsItToTheServer_WhichRunsIt()
    {
        var gated = new GatedTemplate(_dir);
        gated.Release("a");
        gated.Release("b");
        // The server's takeover scan waits ten minutes: only the hand-over can start the deployment while the test waits.
        await using var server = await ServerProcess.StartAsync(
            _dir, Path.Combine(_dir.Path, "templates"), extraArgs: "--Orchestra:Leases:TakeoverScanInterval=00:10:00");

        var detach = await Run("deploy", gated.Path, "--detach");

        Assert.True(detach.ExitCode == 0, detach.ToString());
        Assert.Contains($"Submitted 'gated'; `orchestra serve` (process {server.Process.Id}) on this store runs it", detach.Stdout, StringComparison.Ordinal);
        var view = await server.WaitForDeploymentAsync("gated", v => v.GetProperty("status").GetString() == "Succeeded", Patience);
        Assert.Equal("Succeeded", view.GetProperty("status").GetString());
    }
}
