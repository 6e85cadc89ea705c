using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Tests.Output;

/// <summary>Real deployment views, folded by the engine's own state from events, for the renderers to print.</summary>
internal sealed class Views
{
    private static readonly Dictionary<string, PlanValue> NoInputs = [];
    private readonly DeploymentState _state;

    public Views(FailureAction failureAction = FailureAction.Halt)
    {
        PlanOperation Op(string name, PlanOperation? revert = null, RetryPolicy? retry = null) => new(name, "op.sh", NoInputs, null, retry, revert, null);
        var plan = new DeploymentPlan("web", [
            new PlanNode("database", "test", [Op("Standard.create", Op("Standard.delete"), new RetryPolicy(3, TimeSpan.FromSeconds(5)))], [Op("Standard.delete")], [], null, null),
            new PlanNode("application-server", "test", [Op("Standard.create", Op("Standard.delete")), Op("Standard.configure")], [Op("Standard.stop"), Op("Standard.delete")], ["database"], null, null),
        ], []);
        _state = DeploymentState.Create(new DeploymentSubmitted(Now, "web", plan, new SubmitOptions(failureAction)));
    }

    public DateTimeOffset Now { get; private set; } = new(2030, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public DeploymentView View => _state.ToView(1);

    /// <summary>Moves the clock on (call before building the events that happen then).</summary>
    public Views Wait(double seconds)
    {
        Now = Now.AddSeconds(seconds);
        return this;
    }

    public Views Apply(params DeploymentEvent[] events)
    {
        foreach (var e in events)
        {
            _state.Apply(e);
        }

        return this;
    }

    public TaskStarted Start(string node, string operation, int attempt = 1, TaskPhase phase = TaskPhase.Deploy) =>
        new(Now, node, operation, phase, attempt, $"web/{node}/{operation}");

    public TaskSucceeded Succeed(string node, string operation, TaskPhase phase = TaskPhase.Deploy) =>
        new(Now, node, operation, phase, 1, new Dictionary<string, string>());
}
