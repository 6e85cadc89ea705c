using Microsoft.Data.Sqlite;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Persistence.Sqlite;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>A journal row that cannot be read back: a clear error naming the event, the other deployments unaffected, nothing lost.</summary>
[Trait("Category", "Integration")]
public sealed class BrokenJournalTests : IDisposable
{
    private const string SucceededManifest = "engine.task-succeeded.v1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-broken-").FullName;
    private readonly RecordingExecutor _executor = new();

    private string Db => Path.Combine(_dir, "journal.db");

    public void Dispose()
    {
        _executor.ReleaseAll();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<T> WithHostAsync<T>(Func<DeploymentsHost, Task<T>> body)
    {
        await using var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Db });
        await using var system = EngineActorSystem.Create("broken");
        var options = new EngineOptions { LeasesEnabled = true };
        await using var host = new DeploymentsHost(system, store, options, new ExecutorRegistry(options).Add(_executor));
        return await body(host);
    }

    // Leaves deployment `id` unfinished: `a` succeeded, `b` running when the host stops.
    private async Task StartUnfinishedAsync(string id) =>
        await WithHostAsync(async host =>
        {
            await host.SubmitAsync(id, Plan(
                Node("a", ops: [Op("create", "test:ok")]),
                Node("b", dependsOn: ["a"], ops: [Op("create", "test:gate")])));
            var deadline = DateTime.UtcNow + Patience;
            while (!_executor.Attempts.Any(r => r.DeploymentId == id && r.Node == "b"))
            {
                Assert.True(DateTime.UtcNow < deadline, "b never started");
                await Task.Delay(10);
            }

            return true;
        });

    private long Scalar(string sql, params (string Name, object Value)[] args)
    {
        using var connection = new SqliteConnection($"Data Source={Db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ACorruptEvent_FailsRequestsAtOnceNamingIt_SparesTheOthers_AndLosesNothing()
    {
        await StartUnfinishedAsync("broken");
        await StartUnfinishedAsync("healthy");
        var rows = Scalar("SELECT count(*) FROM journal");
        var brokenLast = Scalar("SELECT max(sequence_nr) FROM journal WHERE persistence_id = 'deployment-broken'");
        var seq = Scalar("SELECT sequence_nr FROM journal WHERE persistence_id = 'deployment-broken' AND manifest = $m", ("$m", SucceededManifest));
        byte[] original;
        using (var connection = new SqliteConnection($"Data Source={Db}"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT payload FROM journal WHERE persistence_id = 'deployment-broken' AND sequence_nr = $s";
            read.Parameters.AddWithValue("$s", seq);
            original = (byte[])read.ExecuteScalar()!;
            using var corrupt = connection.CreateCommand();
            corrupt.CommandText = "UPDATE journal SET payload = $p WHERE persistence_id = 'deployment-broken' AND sequence_nr = $s";
            corrupt.Parameters.AddWithValue("$p", "{\"not\": json"u8.ToArray());
            corrupt.Parameters.AddWithValue("$s", seq);
            Assert.Equal(1, corrupt.ExecuteNonQuery());
        }

        _executor.ReleaseAll();
        await WithHostAsync(async host =>
        {
            // Recovery at start: the broken deployment is left alone, the healthy one recovers and finishes.
            var recovered = await host.RecoverAllAsync().WaitAsync(Patience);
            Assert.Equal(["healthy"], recovered);
            Assert.Equal(DeploymentStatus.Succeeded, (await host.WaitAsync("healthy").WaitAsync(Patience)).Status);

            // A command to the broken one fails at once (not after a timeout), naming the event.
            var resume = await Assert.ThrowsAsync<DeploymentUnavailableException>(() => host.ResumeAsync("broken").WaitAsync(Patience));
            Assert.Equal("broken", resume.DeploymentId);
            Assert.Contains($"sequence number {seq}", resume.Message, StringComparison.Ordinal);
            Assert.Contains(SucceededManifest, resume.Message, StringComparison.Ordinal);

            // Waiting on it too; and reading it.
            await Assert.ThrowsAsync<DeploymentUnavailableException>(() => host.WaitAsync("broken").WaitAsync(Patience));
            var read = await Assert.ThrowsAsync<DeploymentUnavailableException>(() => host.GetAsync("broken").WaitAsync(Patience));
            Assert.Contains(SucceededManifest, read.Message, StringComparison.Ordinal);
            return true;
        });

        // Nothing was written for the broken deployment while it failed: only the healthy one moved on.
        Assert.Equal(brokenLast, Scalar("SELECT max(sequence_nr) FROM journal WHERE persistence_id = 'deployment-broken'"));
        Assert.True(Scalar("SELECT count(*) FROM journal") > rows);

        // Repaired, it resumes where it stopped: `a` is not run again, `b` runs again with the same idempotency key.
        using (var connection = new SqliteConnection($"Data Source={Db}"))
        {
            connection.Open();
            using var repair = connection.CreateCommand();
            repair.CommandText = "UPDATE journal SET payload = $p WHERE persistence_id = 'deployment-broken' AND sequence_nr = $s";
            repair.Parameters.AddWithValue("$p", original);
            repair.Parameters.AddWithValue("$s", seq);
            Assert.Equal(1, repair.ExecuteNonQuery());
        }

        var view = await WithHostAsync(async host => await host.WaitAsync("broken").WaitAsync(Patience));
        Assert.Equal(DeploymentStatus.Succeeded, view.Status);
        Assert.Single(_executor.Attempts, r => r.DeploymentId == "broken" && r.Node == "a");
        var b = _executor.Attempts.Where(r => r.DeploymentId == "broken" && r.Node == "b").ToList();
        Assert.Equal(2, b.Count);
        Assert.Equal(b[0].IdempotencyKey, b[1].IdempotencyKey);
    }
}
