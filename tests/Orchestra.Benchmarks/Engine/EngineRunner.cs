using System.Diagnostics;
using System.Globalization;
using Orchestra.Engine;
using Orchestra.Engine.Hosting;
using Orchestra.Persistence.Sqlite;

namespace Orchestra.Benchmarks.Engine;

/// <summary>
/// Whole-process engine run: <c>dotnet run -c Release --project tests/Orchestra.Benchmarks -- engine --shape layered --tasks 10000</c>.
/// Runs one deployment of <c>orchestra:noop</c> operations on the durable SQLite journal, then restarts the engine on the same file and
/// times the recovery of that deployment (snapshot + journal) by a new deployment actor. Prints one JSON line.
/// </summary>
internal static class EngineRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var shape = Arg("--shape", "layered");
        var tasks = int.Parse(Arg("--tasks", "10000"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Arg("--concurrency", "1000"), CultureInfo.InvariantCulture);
        var fanIn = int.Parse(Arg("--fan-in", "3"), CultureInfo.InvariantCulture);
        var db = Arg("--db", Path.Combine(Path.GetTempPath(), $"orchestra-bench-{Guid.NewGuid():N}.db"));
        foreach (var f in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(f);
        }

        var plan = EngineGraphs.Create(shape, tasks, fanIn: fanIn);
        var options = new EngineOptions
        {
            MaxConcurrentTasks = concurrency,
            SnapshotEveryEvents = int.Parse(Arg("--snapshot-every", "5000"), CultureInfo.InvariantCulture),
        };
        var total = Stopwatch.StartNew();
        TimeSpan run;
        string status;
        await using (var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = db }))
        await using (var system = EngineActorSystem.Create("bench"))
        await using (var host = new DeploymentsHost(system, store, options))
        {
            var watch = Stopwatch.StartNew();
            await host.SubmitAsync("bench", plan);
            var view = await host.WaitAsync("bench");
            run = watch.Elapsed;
            status = view.Status.ToString();
        }

        TimeSpan recovery;
        await using (var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = db }))
        await using (var system = EngineActorSystem.Create("bench-recovery"))
        await using (var host = new DeploymentsHost(system, store, options))
        {
            var watch = Stopwatch.StartNew();
            var view = await host.WaitAsync("bench");
            recovery = watch.Elapsed;
            if (view.SucceededCount() != plan.OperationCount)
            {
                throw new InvalidOperationException("recovered state differs");
            }
        }

        var events = new FileInfo(db).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"shape\":\"{shape}\",\"tasks\":{tasks},\"fan_in\":{fanIn},\"concurrency\":{concurrency},\"status\":\"{status}\",\"run_s\":{run.TotalSeconds:F3},\"recovery_s\":{recovery.TotalSeconds:F3},\"process_s\":{total.Elapsed.TotalSeconds:F3},\"peak_working_set_mb\":{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1},\"db_bytes\":{events}}}"));
        if (!Array.Exists(args, a => a == "--keep"))
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            {
                File.Delete(f);
            }
        }

        return status == "Succeeded" ? 0 : 1;
    }

    private static int SucceededCount(this Orchestra.Engine.Deployments.DeploymentView view) =>
        view.Nodes.Sum(n => n.Tasks.Count(t => t.Status == Orchestra.Engine.Deployments.OperationStatus.Succeeded));
}
