using System.Diagnostics;
using Orchestra.Application.Configuration;
using Orchestra.Application.Leases;
using Orchestra.Application.Nodes;
using Orchestra.Application.Templates;
using Orchestra.Engine.Deployments;
using Orchestra.Persistence.Sqlite;

namespace Orchestra.Application.Tests.Nodes;

/// <summary>
/// Submitting a name whose lease was left by a process of this machine, with no journal yet (the holder died between taking the
/// lease and its first write), on a real SQLite store. The holders are real processes: one killed and reaped, one alive.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OrchestraNodeLeaseTests : IAsyncLifetime
{
    private const string Name = "fresh";
    private const string Template = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            a:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create: orchestra:noop
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-node-lease-").FullName;
    private readonly List<Process> _holders = [];

    private StoreOptions Store => new() { Directory = Path.Combine(_dir, "store") };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var holder in _holders)
        {
            if (!holder.HasExited)
            {
                holder.Kill();
                holder.WaitForExit();
            }

            holder.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    // A real process of this machine as a lease owner (HOST:PID:START), alive until the test kills it.
    private LeaseOwnerIdentity StartHolder()
    {
        var holder = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        _holders.Add(holder);
        var start = LeaseOwnerIdentity.ReadStartTicks(holder.Id) ?? throw new InvalidOperationException("no /proc entry for the holder");
        return new LeaseOwnerIdentity(Environment.MachineName, holder.Id, start);
    }

    // What a process killed right after taking the lease leaves: a lease row and no journal.
    private async Task LeaveLeaseAsync(LeaseOwnerIdentity holder)
    {
        Directory.CreateDirectory(Store.Directory);
        await using var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Store.SqlitePath() });
        Assert.NotNull(await store.Leases.TryAcquireAsync(LeaseGuard.EntityId(Name), holder.ToString(), TimeSpan.FromMinutes(10)));
        Assert.Equal(0, await store.Journal.ReadHighestSequenceNrAsync(LeaseGuard.EntityId(Name)));
    }

    private async Task<OrchestraNode> StartNodeAsync() =>
        await OrchestraNode.StartAsync(new OrchestraNodeSettings { Orchestra = new OrchestraOptions { Store = Store } });

    private static Task<SubmitOutcome> SubmitAsync(OrchestraNode node) =>
        node.SubmitAsync(Name, TemplateSource.FromText(Template, Path.GetTempPath()), new Dictionary<string, string>(), null, CancellationToken.None);

    [Fact]
    public async Task Submit_LeaseOfADeadLocalProcessWithoutJournal_TakesTheNameAtOnce()
    {
        var holder = StartHolder();
        await LeaveLeaseAsync(holder);
        _holders[0].Kill();
        await _holders[0].WaitForExitAsync();

        await using var node = await StartNodeAsync();
        var outcome = await SubmitAsync(node);

        Assert.True(outcome.Created);
        var view = await node.Deployments.WaitAsync(Name).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DeploymentStatus.Succeeded, view.Status);
    }

    [Fact]
    public async Task Submit_LeaseOfALiveLocalProcessWithoutJournal_IsRefusedNamingItsPid()
    {
        var holder = StartHolder();
        await LeaveLeaseAsync(holder);

        await using var node = await StartNodeAsync();
        var refusal = await Assert.ThrowsAsync<DeploymentLeaseHeldException>(() => SubmitAsync(node));

        Assert.Contains($"process {holder.ProcessId}", refusal.Message, StringComparison.Ordinal);
        Assert.Null(await node.Deployments.GetAsync(Name));
    }
}
