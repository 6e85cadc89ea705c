using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
