using Orchestra.Actors;
using Orchestra.Engine;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Sqlite;

// Usage: CrashHost <db> <dir with append.sh> <nodes>. Submits (idempotently) a chain of shell operations and waits for it:
// the same command starts a deployment and resumes it after a kill. Exit code 0 when it succeeded.
var (db, dir, count) = (args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
var nodes = new List<PlanNode>();
for (var i = 0; i < count; i++)
{
    var inputs = new Dictionary<string, PlanValue> { ["PREVIOUS"] = i == 0 ? PlanValue.Literal("none") : new OutputReference($"n{i - 1}", "create", "value") };
    nodes.Add(new PlanNode($"n{i}", "crash", [new PlanOperation("create", "append.sh", inputs)], [], i == 0 ? [] : [$"n{i - 1}"]));
}

var plan = new DeploymentPlan("crash", nodes, [], dir);
await using var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = db });
await using var system = ActorSystem.Create("crash");
await using var host = new DeploymentsHost(system, store, new EngineOptions { SnapshotEveryEvents = 4 });
await host.SubmitAsync("crash", plan);
var view = await host.WaitAsync("crash");
Console.WriteLine(view.Status);
return view.Status == Orchestra.Engine.Deployments.DeploymentStatus.Succeeded ? 0 : 1;
