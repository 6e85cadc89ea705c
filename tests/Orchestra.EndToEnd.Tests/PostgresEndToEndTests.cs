using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;
using Orchestra.Testing;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// The PostgreSQL store through the real executable: <c>orchestra deploy/status/history/resume</c> and <c>orchestra serve</c>
/// configured with <c>ORCHESTRA__STORE__PROVIDER=Postgres</c> (docs/configuration.md), each test in its own schema.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();
    private readonly PostgresStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    // No --store: the store is PostgreSQL, from the environment alone.
    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, _store.Environment, TimeSpan.FromSeconds(60), args);

    private string[] Runs() => File.ReadAllLines(Path.Combine(_dir.Path, "runs.log"));

    private static string[] Kinds(ProcessResult history)
    {
        Assert.True(history.ExitCode == 0, history.ToString());
        using var json = JsonDocument.Parse(history.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString() + (e.TryGetProperty("node", out var n) ? " " + n.GetString() : string.Empty))];
    }

    /// <summary>The deployment is journaled in the test's schema, and no SQLite store appeared beside it.</summary>
    private async Task AssertJournaledInPostgresAsync(string deploymentId, string sqliteDirectory)
    {
        Assert.True(await _store.JournalRowsAsync(deploymentId) > 0, $"no journal rows for '{deploymentId}' in schema {_store.Schema}");
        Assert.False(File.Exists(Path.Combine(sqliteDirectory, "orchestra.db")), $"an SQLite store was created in {sqliteDirectory}");
    }

    [ConditionalFact, RequiresPostgres]
    public async Task Deploy_OnPostgres_Succeeds_AndStatusAndHistoryReadItBack()
    {
        var template = TestTemplates.Chain(_dir);

        var deploy = await Run("deploy", template);

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("Deployment 'chain' Succeeded", deploy.Stdout, StringComparison.Ordinal);
        Assert.Equal(["a Standard.create 1", "b Standard.create 1", "c Standard.create 1"], Runs());
        await AssertJournaledInPostgresAsync("chain", Path.Combine(_dir.Path, ".orchestra"));

        var status = await Run("status", "chain", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal("Succeeded", json.RootElement.GetProperty("status").GetString());
            Assert.All(json.RootElement.GetProperty("nodes").EnumerateArray(), n => Assert.Equal("Deployed", n.GetProperty("status").GetString()));
            Assert.Equal("hello from c", json.RootElement.GetProperty("outputs").GetProperty("greeting").GetString());
        }

        var kinds = Kinds(await Run("history", "chain", "--json"));
        Assert.Equal(["task-succeeded a", "task-succeeded b", "task-succeeded c"], kinds.Where(k => k.StartsWith("task-succeeded", StringComparison.Ordinal)));
        Assert.Equal("deployment-succeeded", kinds[^1]);
    }

    [ConditionalFact, RequiresPostgres]
    public async Task Deploy_OnPostgres_KilledWithSigkill_ResumeRunsEachOperationExactlyOnce()
    {
        var template = TestTemplates.Chain(_dir, seconds: 1);
        await using (var deploy = Harness.Orchestra.Start(_dir.Path, _store.Environment, "deploy", template))
        {
            // Crash while b runs, after a succeeded: the orchestrator and b's script die together, as on a machine crash (the
            // script has its own process group, so killing the orchestrator alone would leave it running). b is frozen first,
            // so that however slow this machine is, it cannot finish before the orchestrator is gone.
            var b = await Eventually.PidFileAsync(Path.Combine(_dir.Path, "pids", "b.pid"), Patience);
            Signals.StopGroup(b);
            deploy.KillHard();
            await deploy.WaitForExitAsync(Patience);
            Signals.KillGroup(b);
        }

        Assert.Equal(["a Standard.create 1"], Runs());

        var resume = await Run("resume", "chain");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("gone; taking over", resume.Stderr, StringComparison.Ordinal);
        Assert.Contains("Deployment 'chain' Succeeded", resume.Stdout, StringComparison.Ordinal);
        var runs = Runs();
        Assert.Equal(3, runs.Length);
        Assert.Equal(["a", "b", "c"], runs.Select(l => l.Split(' ')[0]));
        var kinds = Kinds(await Run("history", "chain", "--json"));
        Assert.Equal(["task-succeeded a", "task-succeeded b", "task-succeeded c"], kinds.Where(k => k.StartsWith("task-succeeded", StringComparison.Ordinal)));
        Assert.Equal(["task-started a", "task-started b", "task-started b", "task-started c"], kinds.Where(k => k.StartsWith("task-started", StringComparison.Ordinal)));
    }

    [ConditionalFact, RequiresPostgres]
    public async Task Serve_OnPostgres_AcceptsADeploymentOverHttp_AndReportsItSucceeded()
    {
        var template = TestTemplates.Chain(_dir);
        await using var server = await ServerProcess.StartAsync(_dir, Path.Combine(_dir.Path, "templates"), environment: _store.Environment);

        var created = await server.Http.PostAsJsonAsync("api/deployments", new { id = "web1", templatePath = template });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await server.WaitForDeploymentAsync("web1", v => v.GetProperty("status").GetString() is "Succeeded" or "Halted" or "Cancelled", Patience);
        Assert.Equal("Succeeded", view.GetProperty("status").GetString());
        var outputs = await server.Http.GetFromJsonAsync<JsonElement>("api/deployments/web1/outputs");
        Assert.Equal("hello from c", outputs.GetProperty("greeting").GetString());
        Assert.Equal(["a Standard.create 1", "b Standard.create 1", "c Standard.create 1"], Runs());
        await AssertJournaledInPostgresAsync("web1", _dir.Store);
    }
}
