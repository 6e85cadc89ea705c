using System.Collections.Concurrent;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Sqlite;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>What scripts print is journaled with each attempt's outcome on a real SQLite store, read back after a restart, and sent live.</summary>
[Trait("Category", "Integration")]
public sealed class DeploymentLogsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Db => Path.Combine(_dir, "store.db");

    [Fact]
    public async Task RetriedScript_EachAttemptsOutputIsJournaled_AndSurvivesARestart()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "flaky.sh"), """
            echo "attempt $ORCHESTRA_ATTEMPT says hello"
            if [ "$ORCHESTRA_ATTEMPT" = "1" ]; then echo "attempt 1 broke" >&2; exit 3; fi
            """);
        var plan = Plan(Node("web", ops: [Op("Standard.create", "flaky.sh", retry: new RetryPolicy(2, TimeSpan.FromMilliseconds(10)))])) with { BaseDirectory = _dir };
        var live = new ConcurrentQueue<DeploymentNotification>();

        await using (var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Db }))
        await using (var system = EngineActorSystem.Create("logs"))
        await using (var host = new DeploymentsHost(system, store, new EngineOptions()))
        {
            using var subscription = host.Subscribe(live.Enqueue);
            await host.SubmitAsync("d", plan);
            var view = await host.WaitAsync("d").WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(DeploymentStatus.Succeeded, view.Status);
        }

        var lines = live.Where(n => n.Kind == NotificationKind.TaskOutput).Select(n => (n.Attempt, n.Stream, n.Message)).ToList();
        Assert.Contains((1, OutputStream.Stderr, "attempt 1 broke"), lines);
        Assert.Contains((2, OutputStream.Stdout, "attempt 2 says hello"), lines);
        Assert.DoesNotContain(live, n => n.Kind == NotificationKind.StatusChanged && n.Message?.Contains("output", StringComparison.Ordinal) == true);

        await using (var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Db }))
        await using (var system = EngineActorSystem.Create("logs-again"))
        await using (var host = new DeploymentsHost(system, store, new EngineOptions()))
        {
            var logs = await host.GetLogsAsync("d");

            Assert.NotNull(logs);
            Assert.Equal([1, 2], logs.Select(a => a.Attempt));
            Assert.Equal((AttemptOutcome.Failed, 3), (logs[0].Outcome, logs[0].ExitCode));
            Assert.Equal("attempt 1 says hello", logs[0].Stdout!.Text);
            Assert.Equal("attempt 1 broke", logs[0].Stderr!.Text);
            Assert.Equal(AttemptOutcome.Succeeded, logs[1].Outcome);
            Assert.Equal("attempt 2 says hello", logs[1].Stdout!.Text);
            Assert.Null(logs[1].Stderr);
            Assert.Null(await host.GetLogsAsync("nope"));

            var history = await host.GetHistoryAsync("d");
            Assert.Equal(2, history.Count(h => h.Kind == "task-output-captured"));
        }
    }
}
