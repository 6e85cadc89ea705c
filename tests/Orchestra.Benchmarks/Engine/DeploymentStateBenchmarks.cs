using BenchmarkDotNet.Attributes;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Plans;

namespace Orchestra.Benchmarks.Engine;

/// <summary>
/// The engine's decision logic alone (no actors, no journal): running a whole 10,000-node layered plan through
/// <see cref="DeploymentState.Decide"/>/<see cref="DeploymentState.Apply"/>, and rebuilding it from a snapshot (the CPU part of recovery).
/// </summary>
[MemoryDiagnoser]
public class DeploymentStateBenchmarks
{
    private DeploymentPlan _plan = null!;
    private DeploymentSubmitted _submitted = null!;
    private byte[] _snapshot = null!;
    private EventSerializer _serializer = null!;

    /// <summary>Nodes in the plan (10 layers, fan-in 3).</summary>
    [Params(10_000)]
    public int Tasks { get; set; }

    /// <summary>Builds the plan and a snapshot of it fully deployed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _plan = EngineGraphs.Create("layered", Tasks);
        _submitted = new DeploymentSubmitted(DateTimeOffset.UnixEpoch, "bench", _plan, SubmitOptions.Default);
        _serializer = new EventSerializer(DeploymentEventTypes.Register(new EventTypeRegistry()));
        var state = RunAll();
        _snapshot = _serializer.Serialize(state.ToSnapshot(_submitted)).Payload;
    }

    /// <summary>Runs every task of the plan to success, 1,000 at a time.</summary>
    /// <returns>The final state.</returns>
    [Benchmark]
    public DeploymentState RunAll()
    {
        var state = DeploymentState.Create(_submitted);
        var now = DateTimeOffset.UnixEpoch;
        var running = new List<TaskStarted>();
        while (true)
        {
            var decision = state.Decide(now, 1000);
            foreach (var e in decision.Events)
            {
                state.Apply(e);
                if (e is TaskStarted s)
                {
                    running.Add(s);
                }
            }

            if (running.Count == 0)
            {
                return state;
            }

            foreach (var s in running)
            {
                state.Apply(state.ResultEvent(new TaskRef(s.Node, s.Operation, s.Phase), s.Attempt, OperationResult.Success, now)!);
            }

            running.Clear();
        }
    }

    /// <summary>Deserializes the snapshot of the deployed plan and rebuilds the state from it.</summary>
    /// <returns>The state.</returns>
    [Benchmark]
    public DeploymentState RestoreFromSnapshot() =>
        DeploymentState.Restore((DeploymentSnapshot)_serializer.Deserialize(DeploymentEventTypes.SnapshotManifest, _snapshot));
}
