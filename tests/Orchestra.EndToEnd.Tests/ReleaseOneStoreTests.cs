using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// A store written by release 1 (tests/fixtures/store-v1, commit e2882f4) keeps working: the commands read it as
/// release 1 did, and its unfinished deployments resume and retry. The fixture is copied, never changed in place.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReleaseOneStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ReleaseOneStoreTests()
    {
        Directory.CreateDirectory(_dir.Store);
        File.Copy(Path.Combine(Harness.Orchestra.RepositoryRoot, "tests", "fixtures", "store-v1", "orchestra.db"), Path.Combine(_dir.Store, "orchestra.db"));
    }

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private async Task<JsonElement> Json(params string[] args)
    {
        var result = await Run([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    private async Task<string[]> HistoryKinds(string name, string? node = null) =>
        [.. (await Json("history", name)).EnumerateArray()
            .Where(e => node is null || (e.TryGetProperty("node", out var n) && n.GetString() == node))
            .Select(e => e.GetProperty("kind").GetString()!)];

    [Fact]
    public async Task List_ShowsTheThreeDeploymentsWithTheirStatus()
    {
        var list = await Json("list");

        var statuses = list.EnumerateArray().ToDictionary(d => d.GetProperty("deploymentId").GetString()!, d => d.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["finished"] = "Succeeded", ["halted"] = "Halted", ["killed"] = "Running" }, statuses);
    }

    [Fact]
    public async Task StatusHistoryOutputs_OfTheFinishedDeployment_ReadAsWritten()
    {
        var status = await Json("status", "finished");
        Assert.Equal("Succeeded", status.GetProperty("status").GetString());
        Assert.Equal(3, status.GetProperty("nodes").GetArrayLength());

        var kinds = await HistoryKinds("finished");
        Assert.Equal(4, kinds.Count(k => k == "task-succeeded"));
        Assert.Equal("deployment-succeeded", kinds[^1]);

        var outputs = await Run("outputs", "finished");
        Assert.Equal("greeting=hello", outputs.Stdout.Trim());
    }

    [Fact]
    public async Task Status_OfTheHaltedDeployment_NamesTheFailedOperation()
    {
        var text = await Run("status", "halted");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Halted", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("b refuses", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_OfTheKilledDeployment_RerunsOnlyTheInterruptedOperation()
    {
        Assert.Equal(["task-started", "task-succeeded"], await HistoryKinds("killed", "a"));
        Assert.Equal(["task-started"], await HistoryKinds("killed", "b"));

        var resume = await Run("resume", "killed");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("Succeeded", resume.Stdout, StringComparison.Ordinal);
        Assert.Equal(["task-started", "task-succeeded"], await HistoryKinds("killed", "a"));
        Assert.Equal(["task-started", "task-started", "task-succeeded"], await HistoryKinds("killed", "b"));
        Assert.Equal(["task-started", "task-succeeded"], await HistoryKinds("killed", "c"));
        Assert.Equal("Succeeded", (await Json("status", "killed")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ResumeThenRetry_OfTheHaltedDeployment_StaysHaltedThenRunsTheFailedOperationAgain()
    {
        var resume = await Run("resume", "halted");
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains("orchestra retry halted", resume.Stderr + resume.Stdout, StringComparison.Ordinal);
        Assert.Equal(["task-started", "task-failed"], await HistoryKinds("halted", "b"));

        var retry = await Run("retry", "halted");

        Assert.Equal(1, retry.ExitCode);
        Assert.Contains("attempt 2", retry.Stdout, StringComparison.Ordinal);
        Assert.Equal(["task-started", "task-failed", "task-started", "task-failed"], await HistoryKinds("halted", "b"));
        Assert.Empty(await HistoryKinds("halted", "c"));
    }
}
