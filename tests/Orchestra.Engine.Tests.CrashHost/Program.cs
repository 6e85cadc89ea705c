using System.Globalization;
using Orchestra.Actors.Persistence;
using Orchestra.Engine;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Postgres;
using Orchestra.Persistence.Sqlite;

// Usage: CrashHost <store> <dir with append.sh> <nodes> [<owner> <lease ttl ms> <renew interval ms>]
// Submits (idempotently) a chain of shell operations and waits for it: the same command starts a deployment and resumes it after a
// kill. Exit code 0 when it succeeded. <store> is a SQLite file, or postgres:<schema> on the server named by ORCHESTRA_TEST_POSTGRES.
// With an owner, the deployment runs under a lease of that owner (a cluster node), renewed at the given interval.
var (store, dir, count) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
var nodes = new List<PlanNode>();
for (var i = 0; i < count; i++)
{
    var inputs = new Dictionary<string, PlanValue> { ["PREVIOUS"] = i == 0 ? PlanValue.Literal("none") : new OutputReference($"n{i - 1}", "create", "value") };
    nodes.Add(new PlanNode($"n{i}", "crash", [new PlanOperation("create", "append.sh", inputs)], [], i == 0 ? [] : [$"n{i - 1}"]));
}

var options = new EngineOptions { SnapshotEveryEvents = 4 };
if (args.Length >= 6)
{
    options.LeasesEnabled = true;
    options.Owner = args[3];
    options.LeaseTtl = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture));
    options.LeaseRenewInterval = TimeSpan.FromMilliseconds(int.Parse(args[5], CultureInfo.InvariantCulture));
}

var plan = new DeploymentPlan("crash", nodes, [], dir);
await using IPersistence persistence = store.StartsWith("postgres:", StringComparison.Ordinal)
    ? await PostgresPersistence.OpenAsync(new PostgresPersistenceOptions
    {
        ConnectionString = Environment.GetEnvironmentVariable("ORCHESTRA_TEST_POSTGRES") ?? throw new InvalidOperationException("ORCHESTRA_TEST_POSTGRES is not set"),
        Schema = store["postgres:".Length..],
    })
    : SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = store });
await using var system = EngineActorSystem.Create("crash");
await using var host = new DeploymentsHost(system, persistence, options);
await host.SubmitAsync("crash", plan);
var view = await host.WaitAsync("crash");
Console.WriteLine(view.Status);
return view.Status == Orchestra.Engine.Deployments.DeploymentStatus.Succeeded ? 0 : 1;
