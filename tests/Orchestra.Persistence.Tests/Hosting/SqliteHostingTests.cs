using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestra.Persistence.Configuration;
using Orchestra.Persistence.Sqlite;
using Orchestra.Persistence.Sqlite.Plugin;
using Orchestra.Persistence.Tests.Backends;
using Orchestra.Persistence.Tests.Conformance;

namespace Orchestra.Persistence.Tests.Hosting;

[Trait("Category", "Integration")]
public sealed class SqliteHostingTests : IDisposable
{
    private readonly SqliteTestFile _file = new();

    public void Dispose() => _file.Delete();

    [Fact]
    public async Task WithOrchestraSqlitePersistence_ARestartedHost_RecoversWhatTheFirstPersisted()
    {
        await using (var first = await StartAsync(_file.Options))
        {
            var actor = first.System.ActorOf(Props.Create(() => new RecordingActor("hosted-1")));
            var persisted = await actor.Ask<RecordingActor.Persisted>(new RecordingActor.PersistCommand(["a"]), TimeSpan.FromSeconds(15));
            Assert.Equal(1, persisted.SequenceNr);
        }

        await using var second = await StartAsync(_file.Options);
        var recovered = second.System.ActorOf(Props.Create(() => new RecordingActor("hosted-1")));
        var applied = await recovered.Ask<RecordingActor.Applied>(new RecordingActor.GetApplied(), TimeSpan.FromSeconds(15));

        Assert.Equal(["a"], applied.Data);
        Assert.True(File.Exists(_file.Options.DataSource));
    }

    /// <summary>
    /// A write stalled by the disk for longer than Akka's default breaker (10 s) must not be reported as failed while
    /// the store is still within its own timeout: the breaker of both plugins waits for three store operations.
    /// </summary>
    [Fact]
    public async Task WithOrchestraSqlitePersistence_TheCircuitBreaker_OutwaitsTheStoresOwnTimeout()
    {
        var options = _file.Options;
        options.BusyTimeout = TimeSpan.FromSeconds(20);
        await using var host = await StartAsync(options);

        var config = host.System.Settings.Config;
        var journal = config.GetConfig(config.GetString("akka.persistence.journal.plugin"));
        var snapshots = config.GetConfig(config.GetString("akka.persistence.snapshot-store.plugin"));

        Assert.Equal(TimeSpan.FromSeconds(60), journal.GetTimeSpan("circuit-breaker.call-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(60), snapshots.GetTimeSpan("circuit-breaker.call-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(10), PersistenceOptionsHocon.BreakerCallTimeout(TimeSpan.FromSeconds(1)));
    }

    private static async Task<RunningHost> StartAsync(SqlitePersistenceOptions options)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted", builder => builder.WithOrchestraSqlitePersistence(options, PluginTestTypes.Serializer)))
            .Build();
        await host.StartAsync();
        return new RunningHost(host);
    }

    private sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        public ActorSystem System { get; } = host.Services.GetRequiredService<ActorSystem>();

        public async ValueTask DisposeAsync()
        {
            var closed = OrchestraPersistence.Get(System).WhenClosed;
            await host.StopAsync();
            await closed.WaitAsync(TimeSpan.FromSeconds(60));
            host.Dispose();
        }
    }
}
