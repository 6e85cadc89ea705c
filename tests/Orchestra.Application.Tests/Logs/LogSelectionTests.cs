using Orchestra.Application.Logs;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Application.Tests.Logs;

[Trait("Category", "Unit")]
public sealed class LogSelectionTests
{
    private static readonly Dictionary<string, PlanValue> None = [];

    private static readonly DeploymentPlan Plan = new("p",
    [
        new PlanNode("web", null, [new PlanOperation("Standard.create", "c.sh", None), new PlanOperation("Standard.start", "s.sh", None)], [new PlanOperation("Standard.delete", "d.sh", None)], []),
        new PlanNode("web.proxy", null, [new PlanOperation("Standard.create", "c.sh", None)], [], []),
        new PlanNode("db", null, [new PlanOperation("Standard.create", "c.sh", None), new PlanOperation("Custom.create", "x.sh", None)], [], []),
    ], []);

    private static readonly IReadOnlyList<AttemptLog> Attempts =
    [
        Attempt("web", "Standard.create", 1),
        Attempt("web", "Standard.create", 2),
        Attempt("web", "Standard.start", 1),
        Attempt("web.proxy", "Standard.create", 1),
        Attempt("db", "Standard.create", 1),
    ];

    private static AttemptLog Attempt(string node, string operation, int attempt) =>
        new(node, operation, TaskPhase.Deploy, attempt, AttemptOutcome.Succeeded, DateTimeOffset.UnixEpoch, null, null, null, null, null);

    private static IEnumerable<string> Select(string? target, int? attempt = null) =>
        LogSelection.Parse(target, attempt, Plan).Apply("d", Plan, Attempts).Select(a => $"{a.Node}/{a.Operation}#{a.Attempt}");

    [Fact]
    public void Apply_Nothing_SelectsEveryAttemptInOrder() =>
        Assert.Equal(["web/Standard.create#1", "web/Standard.create#2", "web/Standard.start#1", "web.proxy/Standard.create#1", "db/Standard.create#1"], Select(null));

    [Fact]
    public void Parse_NodeNamesWithDots_TheLongestNodeThatFitsWins()
    {
        Assert.Equal(["web.proxy/Standard.create#1"], Select("web.proxy"));
        Assert.Equal(["web.proxy/Standard.create#1"], Select("web.proxy.create"));
        Assert.Equal(["web/Standard.start#1"], Select("web.start"));
    }

    [Fact]
    public void Apply_OperationByShortOrFullName_AndAnAttempt_PicksIt()
    {
        Assert.Equal(["web/Standard.create#1", "web/Standard.create#2"], Select("web.create"));
        Assert.Equal(["web/Standard.create#2"], Select("web.Standard.create", attempt: 2));
        Assert.Equal(["web/Standard.create#1", "web/Standard.start#1"], Select("web", attempt: 1));
    }

    [Fact]
    public void Apply_UnknownNode_NamesTheNodesThatExist()
    {
        var e = Assert.Throws<LogSelectionException>(() => Select("nope").ToList());
        Assert.Equal("Deployment 'd' has no node 'nope'; its nodes: web, web.proxy, db.", e.Message);
    }

    [Fact]
    public void Apply_UnknownOperation_NamesTheNodesOperations()
    {
        var e = Assert.Throws<LogSelectionException>(() => Select("web.stop").ToList());
        Assert.Equal("Node 'web' has no operation 'stop'; its operations: Standard.create, Standard.start, Standard.delete.", e.Message);
    }

    [Fact]
    public void Apply_AmbiguousShortName_AsksForTheFullName()
    {
        var e = Assert.Throws<LogSelectionException>(() => Select("db.create").ToList());
        Assert.Contains("ambiguous: Standard.create, Custom.create", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnknownAttempt_NamesTheAttemptsThatExist_OrSaysNothingRan()
    {
        var e = Assert.Throws<LogSelectionException>(() => Select("web.create", attempt: 3).ToList());
        Assert.Equal("There is no attempt 3 of web Standard.create; its attempts: 1, 2.", e.Message);
        e = Assert.Throws<LogSelectionException>(() => Select("web.delete", attempt: 1).ToList());
        Assert.Equal("There is no attempt 1 of web Standard.delete: nothing of it has run yet.", e.Message);
        Assert.Throws<LogSelectionException>(() => Select(null, attempt: 0).ToList());
    }

    [Fact]
    public void Includes_OnAResolvedSelection_MatchesFullNames()
    {
        var selection = LogSelection.Parse("web.create", null, Plan).Resolve("d", Plan);

        Assert.True(selection.Includes("web", "Standard.create", 7));
        Assert.False(selection.Includes("web", "Standard.start", 1));
        Assert.False(selection.Includes("db", "Standard.create", 1));
    }
}
