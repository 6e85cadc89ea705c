using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Engine.Tests.Hosting;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Plans;

/// <summary>A list and a map holding an earlier operation's output, through a whole deployment on the in-memory store.</summary>
public sealed class NestedValueDeploymentTests : IDisposable
{
    private const string Servers = """["10.1.2.3","10.0.0.2"]""";
    private const string Config = """{"host":"10.1.2.3","port":5432,"replicas":["10.1.2.3:5433"]}""";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly InMemoryPersistence _store = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-nested-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // db's create produces `ip`; app's create gets it inside a list and a map (by operation and by attribute), beside constants.
    private static DeploymentPlan NestedPlan(string dbImplementation, string appImplementation, string? baseDirectory = null)
    {
        var servers = new ListValue([new OutputReference("db", "create", "ip"), PlanValue.Literal("10.0.0.2")]);
        var config = new MapValue(new Dictionary<string, PlanValue>
        {
            ["host"] = new OutputReference("db", null, "ip"),
            ["port"] = PlanValue.Literal(5432),
            ["replicas"] = new ListValue([new ConcatValue([new OutputReference("db", null, "ip"), PlanValue.Literal(":5433")])]),
        });
        return Plan(
            Node("db", ops: [Op("create", dbImplementation, inputs: new Dictionary<string, PlanValue> { ["ip"] = PlanValue.Literal("10.1.2.3") })]),
            Node("app", ["db"], ops: [Op("create", appImplementation, inputs: new Dictionary<string, PlanValue> { ["SERVERS"] = servers, ["CONFIG"] = config })]))
            with { Outputs = [new PlanOutput("config", config)], BaseDirectory = baseDirectory };
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task SecondOperation_GetsListAndMapInputsHoldingTheFirstOnesOutput_AsJson_AndTheJournalKeepsThem()
    {
        var executor = new RecordingExecutor();
        await using (var system = EngineActorSystem.Create("nested"))
        {
            var options = new EngineOptions();
            await using var host = new DeploymentsHost(system, _store, options, new ExecutorRegistry(options).Add(executor));
            await host.SubmitAsync("n", NestedPlan("test:ok", "test:ok"));
            var view = await host.WaitAsync("n").WaitAsync(Patience);

            Assert.Equal(DeploymentStatus.Succeeded, view.Status);
            var app = executor.Attempts.Single(a => a.Node == "app");
            Assert.Equal(Servers, app.Inputs["SERVERS"]);
            Assert.Equal(Config, app.Inputs["CONFIG"]);
            Assert.Equal(Config, view.Outputs["config"].GetRawText());
        }

        // Another host knows the deployment only from the journal: the plan read back still evaluates the same.
        await using (var system = EngineActorSystem.Create("nested-again"))
        {
            var options = new EngineOptions();
            await using var host = new DeploymentsHost(system, _store, options, new ExecutorRegistry(options).Add(executor));
            var view = await host.GetAsync("n").WaitAsync(Patience);
            Assert.Equal(DeploymentStatus.Succeeded, view!.Status);
            Assert.Equal(Config, view.Outputs["config"].GetRawText());
        }
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task BashScript_SeesListAndMapInputsAsJsonInItsEnvironment()
    {
        Script("db.sh", """echo "ip=$ip" >> "$ORCHESTRA_OUTPUTS" """);
        Script("app.sh", """printf 'servers=%s\nconfig=%s\n' "$SERVERS" "$CONFIG" >> "$ORCHESTRA_OUTPUTS" """);
        await using var system = EngineActorSystem.Create("nested-bash");
        await using var host = new DeploymentsHost(system, _store, new EngineOptions());

        await host.SubmitAsync("b", NestedPlan("db.sh", "app.sh", _dir));
        var view = await host.WaitAsync("b").WaitAsync(Patience);

        Assert.True(view.Status == DeploymentStatus.Succeeded, $"{view.Status}: {view.StatusReason} {string.Join("; ", view.Nodes.SelectMany(n => n.Tasks).Select(t => t.Error))}");
        var app = view.Nodes.Single(n => n.Name == "app").Tasks.Single();
        Assert.Equal(Servers, app.Outputs["servers"]);
        Assert.Equal(Config, app.Outputs["config"]);
    }

    private void Script(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, body.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
