using Microsoft.Data.Sqlite;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Sqlite;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Plans;

/// <summary>The plan is journaled whole in a deployment's first event: its size is bounded before anything is written.</summary>
[Trait("Category", "Integration")]
public sealed class PlanSizeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-plansize-").FullName;

    private string Db => Path.Combine(_dir, "journal.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static PlanNode Carrying(string name, int chars) =>
        Node(name, ops: [Op("create", inputs: new Dictionary<string, PlanValue> { ["blob"] = PlanValue.Literal(new string('x', chars)) })]);

    private long JournalRows()
    {
        using var connection = new SqliteConnection($"Data Source={Db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal";
        return (long)command.ExecuteScalar()!;
    }

    private async Task<T> WithHostAsync<T>(EngineOptions options, Func<DeploymentsHost, Task<T>> body)
    {
        await using var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Db });
        await using var system = EngineActorSystem.Create("plansize");
        await using var host = new DeploymentsHost(system, store, options);
        return await body(host);
    }

    [Fact]
    public void Validate_PlanOverTheLimit_IsAnError_NamingTheLimitAndTheNodeThatCrossesIt()
    {
        var plan = Plan(Carrying("small", 10), Carrying("big", 50_000));

        var errors = PlanValidator.Validate(plan, maxBytes: 20_000);

        var error = Assert.Single(errors);
        Assert.Equal(PlanErrorKind.TooLarge, error.Kind);
        Assert.Equal("big", error.Node);
        Assert.Contains("more than the limit of 20000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("node 'big' brings it past the limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlanUnderTheLimit_IsClean_AndSizeOfIsItsJournaledJson()
    {
        var plan = Plan(Carrying("a", 1000));

        Assert.Empty(PlanValidator.Validate(plan, maxBytes: PlanValidator.SizeOf(plan)));
        Assert.Single(PlanValidator.Validate(plan, maxBytes: PlanValidator.SizeOf(plan) - 1));
        Assert.InRange(PlanValidator.SizeOf(plan), 1000, 2000);
    }

    [Fact]
    public async Task Submit_PlanOverMaxPlanBytes_IsRejected_AndNothingIsJournaled()
    {
        var options = new EngineOptions { MaxPlanBytes = 64 * 1024 };

        var rejected = await WithHostAsync(options, host =>
            Assert.ThrowsAsync<PlanValidationException>(() => host.SubmitAsync("huge", Plan(Carrying("a", 100_000)))));

        Assert.Contains(rejected.Errors, e => e.Kind == PlanErrorKind.TooLarge && e.Node == "a");
        Assert.Equal(0, JournalRows());
    }

    [Fact]
    public async Task Submit_DefaultLimit_RefusesATwentyMegabytePlan()
    {
        var rejected = await WithHostAsync(new EngineOptions(), host =>
            Assert.ThrowsAsync<PlanValidationException>(() => host.SubmitAsync("huge", Plan(Carrying("a", 20_000_000)))));

        Assert.Contains("EngineOptions.MaxPlanBytes", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(0, JournalRows());
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Submit_IdOfOnlyDots_IsRejected(string id)
    {
        await WithHostAsync(new EngineOptions(), host => Assert.ThrowsAsync<ArgumentException>(() => host.SubmitAsync(id, Plan(Node("a")))));

        Assert.Equal(0, JournalRows());
    }

    [Fact]
    public async Task SubmitNew_FiftyIdenticalAtOnce_ExactlyOneIsCreated()
    {
        var plan = Plan(Node("a"));

        var results = await WithHostAsync(new EngineOptions(), host =>
            Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => host.SubmitNewAsync("burst", plan)))));

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal("burst", r.View.DeploymentId));
    }
}
