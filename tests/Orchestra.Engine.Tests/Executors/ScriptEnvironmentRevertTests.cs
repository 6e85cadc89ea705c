using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>A script learns what runs (<c>ORCHESTRA_OPERATION</c>) and, for a revert, what it reverts (<c>ORCHESTRA_REVERTING</c>).</summary>
[Trait("Category", "Unit")]
public sealed class ScriptEnvironmentRevertTests
{
    private static Dictionary<string, string?> Environment(OperationRequest request)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        ScriptEnvironment.Fill(environment, request, "/tmp/outputs", new EngineOptions());
        return environment;
    }

    private static OperationRequest Request(string operation, TaskPhase phase, string? reverting) =>
        new("d1", "db", operation, phase, "op.sh", new Dictionary<string, string>(), 1, $"d1/db/x/{phase}", null, TimeSpan.FromMinutes(1), reverting);

    [Fact]
    public void Fill_ForARevert_NamesTheOperationThatRunsAndTheOneItReverts()
    {
        var environment = Environment(Request("Standard.delete", TaskPhase.Revert, "Standard.create"));

        Assert.Equal("Standard.delete", environment["ORCHESTRA_OPERATION"]);
        Assert.Equal("Standard.create", environment["ORCHESTRA_REVERTING"]);
        Assert.Equal("revert", environment["ORCHESTRA_PHASE"]);
    }

    [Fact]
    public void Fill_ForADeployOperation_SetsNoRevertingVariable()
    {
        var environment = Environment(Request("Standard.create", TaskPhase.Deploy, null));

        Assert.Equal("Standard.create", environment["ORCHESTRA_OPERATION"]);
        Assert.False(environment.ContainsKey("ORCHESTRA_REVERTING"));
    }
}
