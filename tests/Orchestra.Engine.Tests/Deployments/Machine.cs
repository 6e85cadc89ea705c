using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Tests.Deployments;

/// <summary>Drives a <see cref="DeploymentState"/> the way the actor does, without actors: decide, journal, apply; results by hand.</summary>
internal sealed class Machine
{
    public Machine(DeploymentPlan plan, int maxConcurrent = 16, SubmitOptions? options = null)
    {
        Submitted = new DeploymentSubmitted(Now, "d1", plan, options ?? SubmitOptions.Default);
        Journal.Add(Submitted);
        State = DeploymentState.Create(Submitted);
        MaxConcurrent = maxConcurrent;
    }

    public DeploymentSubmitted Submitted { get; }

    public DeploymentState State { get; private set; }

    public List<DeploymentEvent> Journal { get; } = [];

    public DateTimeOffset Now { get; set; } = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int MaxConcurrent { get; set; }

    public DateTimeOffset? WakeAt { get; private set; }

    /// <summary>Decides and applies until nothing more happens; returns the attempts started.</summary>
    public List<TaskStarted> Step()
    {
        var started = new List<TaskStarted>();
        for (var i = 0; i < 10_000; i++)
        {
            var decision = State.Decide(Now, MaxConcurrent);
            WakeAt = decision.WakeAt;
            if (decision.Events.Count == 0)
            {
                return started;
            }

            foreach (var e in decision.Events)
            {
                Record(e);
                if (e is TaskStarted s)
                {
                    started.Add(s);
                }
            }
        }

        throw new InvalidOperationException("Decide never settles");
    }

    public void Record(DeploymentEvent e)
    {
        Journal.Add(e);
        State.Apply(e);
    }

    public DeploymentEvent Complete(TaskStarted started, OperationResult result)
    {
        var e = State.ResultEvent(new TaskRef(started.Node, started.Operation, started.Phase), started.Attempt, result, Now)
            ?? throw new InvalidOperationException($"stale result for {started.Node}/{started.Operation}");
        Record(e);
        return e;
    }

    public DeploymentEvent Succeed(TaskStarted started, params (string Key, string Value)[] outputs) =>
        Complete(started, OperationResult.Succeeded(outputs.ToDictionary(o => o.Key, o => o.Value)));

    public DeploymentEvent Fail(TaskStarted started, string error = "boom", int exitCode = 1) =>
        Complete(started, OperationResult.Failed(error, exitCode));

    public void Command(DeploymentEvent command)
    {
        var rejected = State.Reject(command);
        if (rejected is not null)
        {
            throw new InvalidOperationException(rejected);
        }

        Record(command);
    }

    /// <summary>Runs everything to completion, succeeding every attempt; returns the order in which tasks started.</summary>
    public List<string> RunAll(Func<TaskStarted, OperationResult>? outcome = null)
    {
        var order = new List<string>();
        var queue = new Queue<TaskStarted>(Step());
        while (queue.TryDequeue(out var s))
        {
            order.Add($"{s.Node}/{s.Operation}/{s.Phase}");
            Complete(s, outcome?.Invoke(s) ?? OperationResult.Success);
            foreach (var next in Step())
            {
                queue.Enqueue(next);
            }
        }

        return order;
    }

    public DeploymentState Replay()
    {
        var state = DeploymentState.Create((DeploymentSubmitted)Journal[0]);
        foreach (var e in Journal.Skip(1))
        {
            state.Apply(e);
        }

        return state;
    }
}
