using System.Diagnostics;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Persistence.Sqlite;

namespace Orchestra.Engine.Tests.Hosting;

[Trait("Category", "Integration")]
public sealed class CrashTests : IDisposable
{
    private const int Nodes = 6;
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-crash-").FullName;

    public CrashTests() => CrashHostProcess.WriteAppendScript(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Process Start(string db) => CrashHostProcess.Start(db, _dir, Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<DeploymentView> ReadAsync(string db)
    {
        await using var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = db });
        var reader = new DeploymentReader(store, new EventSerializer(DeploymentEventTypes.Register(new EventTypeRegistry())));
        var loaded = await reader.LoadAsync("crash", 1, CancellationToken.None);
        return loaded!.Value.State.ToView(loaded.Value.SequenceNr);
    }

    private async Task<DeploymentView> RunToEndAsync(string db)
    {
        using var process = Start(db);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return await ReadAsync(db);
    }

    [Fact]
    public async Task Resume_AfterSigkillAtManyPoints_RunsSucceededOperationsExactlyOnce()
    {
        var reference = await RunToEndAsync(Path.Combine(_dir, "reference.db"));
        Assert.Equal(DeploymentStatus.Succeeded, reference.Status);
        File.Delete(Path.Combine(_dir, "log.txt"));

        for (var k = 1; k < Nodes; k++)
        {
            var db = Path.Combine(_dir, $"crash-{k}.db");
            using (var process = Start(db))
            {
                await CrashHostProcess.UntilLoggedAsync(process, _dir, k);
                process.Kill(entireProcessTree: false); // SIGKILL to the host only: its scripts may be mid-flight
                await process.WaitForExitAsync();
            }

            var atKill = await ReadAsync(db);
            var succeededAtKill = atKill.Nodes.Where(n => n.Tasks[0].Status == OperationStatus.Succeeded).Select(n => n.Name).ToHashSet();

            var final = await RunToEndAsync(db);
            var lines = CrashHostProcess.Log(_dir);
            foreach (var node in final.Nodes)
            {
                var runs = lines.Where(l => l[0] == node.Name).ToList();
                if (succeededAtKill.Contains(node.Name))
                {
                    Assert.True(runs.Count == 1, $"k={k}: {node.Name} was recorded succeeded before the kill but ran {runs.Count} times");
                }
                else
                {
                    Assert.InRange(runs.Count, 1, 2);
                }

                Assert.Single(runs.Select(r => r[1]).Distinct());
                Assert.Equal($"crash/{node.Name}/create/deploy", runs[0][1]);
            }

            Assert.Equal(DeploymentStatus.Succeeded, final.Status);
            Assert.Equal(
                reference.Nodes.Select(n => (n.Name, n.Status, n.Tasks[0].Outputs["value"])),
                final.Nodes.Select(n => (n.Name, n.Status, n.Tasks[0].Outputs["value"])));
            File.Delete(Path.Combine(_dir, "log.txt"));
        }
    }
}
