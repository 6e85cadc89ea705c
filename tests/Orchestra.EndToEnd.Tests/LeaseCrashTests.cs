using Npgsql;
using Orchestra.EndToEnd.Tests.Harness;
using Orchestra.Testing;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// <c>orchestra deploy</c> killed (SIGKILL) after it took the lease of a new name and before its first journal write. The point is
/// reached deterministically on PostgreSQL: the test holds the journal's advisory lock, so the first write waits, while the lease
/// (another table, no such lock) is taken. Leases last ten minutes here, so a run that waited for expiry would time out.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LeaseCrashTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly PostgresStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string> Environment => new(_store.Environment) { ["ORCHESTRA__ENGINE__LEASETTL"] = "00:10:00" };

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, Environment, Patience, args);

    private async Task<string?> LeaseOwnerAsync(NpgsqlConnection connection, string deploymentId)
    {
        await using var command = new NpgsqlCommand($"SELECT owner FROM \"{_store.Schema}\".leases WHERE entity_id = 'deployment-' || $1", connection);
        command.Parameters.AddWithValue(deploymentId);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    [ConditionalFact, RequiresPostgres]
    public async Task Deploy_KilledAfterTakingTheLeaseBeforeTheFirstJournalWrite_TheNextDeployOfTheNameSucceedsAtOnce_WhileALiveHolderIsRefused()
    {
        var template = TestTemplates.Chain(_dir);
        var list = await Run("list");
        Assert.True(list.ExitCode == 0, list.ToString()); // creates the schema

        await using var connection = new NpgsqlConnection(PostgresStore.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtext($1))", "orchestra-journal:" + _store.Schema);
        await using (var first = Harness.Orchestra.Start(_dir.Path, Environment, "deploy", template))
        {
            // The lease is taken (owner HOST:PID:START of the first run); its DeploymentSubmitted waits for the journal lock.
            using (var timeout = new CancellationTokenSource(Patience))
            {
                while (await LeaseOwnerAsync(connection, "chain") is not { } owner || !owner.Contains($":{first.Id}:", StringComparison.Ordinal))
                {
                    Assert.False(first.HasExited, $"the first deploy exited before taking the lease: {first.Stdout}{first.Stderr}");
                    await Task.Delay(50, timeout.Token);
                }
            }

            // A live holder of this machine is refused at once, by pid.
            var second = await Run("deploy", template);
            Assert.True(second.ExitCode == 1, second.ToString());
            Assert.Contains($"process {first.Id}", second.Stderr, StringComparison.Ordinal);

            first.KillHard();
            await first.WaitForExitAsync(Patience);
        }

        // The killed client's server session still waits for the lock with the write it pipelined: end it, as the server does once it
        // notices the client is gone, so that the write can never land later.
        await ExecuteAsync(connection, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))");
        await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtext($1))", "orchestra-journal:" + _store.Schema);
        Assert.Equal(0, await _store.JournalRowsAsync("chain"));
        Assert.NotNull(await LeaseOwnerAsync(connection, "chain"));

        var third = await Run("deploy", template);

        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("Deployment 'chain' Succeeded", third.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("another owner", third.ToString(), StringComparison.Ordinal);
        Assert.Equal(["a Standard.create 1", "b Standard.create 1", "c Standard.create 1"], File.ReadAllLines(Path.Combine(_dir.Path, "runs.log")));
    }
}
