using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Deployments;

public sealed partial class DeploymentState
{
    // Mutable per-task bookkeeping; only DeploymentState touches it.
    private sealed class TaskSlot(int index, int node, int position, TaskPhase phase, PlanOperation operation, string name)
    {
        public int Index { get; } = index;

        public int Node { get; } = node;

        // Position in the node's Operations (deploy, revert) or Teardown list.
        public int Position { get; } = position;

        public TaskPhase Phase { get; } = phase;

        public PlanOperation Operation { get; } = operation;

        public string Name { get; } = name;

        public OperationStatus Status { get; set; }

        public int Attempt { get; set; }

        // Attempts made before the operator's last retry: the retry budget counts from here.
        public int AttemptBase { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? FinishedAt { get; set; }

        public DateTimeOffset? RetryAt { get; set; }

        public string? Error { get; set; }

        public int? ExitCode { get; set; }

        public IReadOnlyDictionary<string, string>? Outputs { get; set; }

        public IReadOnlyList<string>? Warnings { get; set; }

        // Order of success among deploy tasks (1-based), for rollback; 0 = not succeeded.
        public long CompletionOrder { get; set; }

        // Deploy only: operation-level predecessors (After) not yet succeeded, and the tasks waiting on this one.
        public int AfterPending { get; set; }

        public List<int>? AfterSuccessors { get; set; }
    }

    private sealed class NodeSlot(int index, PlanNode node)
    {
        public int Index { get; } = index;

        public PlanNode Node { get; } = node;

        public int[] DeployTasks { get; set; } = [];

        public int[] TeardownTasks { get; set; } = [];

        // Index of the revert task of each deploy operation, or -1.
        public int[] RevertTasks { get; set; } = [];

        // Nodes that wait for this one to complete (they name it in DependsOn).
        public List<int> DeploySuccessors { get; } = [];

        // Every node this one depends on (DependsOn and After edges): undeploy walks these edges backwards.
        public List<int> Predecessors { get; } = [];

        public int DepsPending { get; set; }

        // Number of leading deploy operations that succeeded.
        public int NextDeploy { get; set; }

        public bool DeployCompleted => NextDeploy == DeployTasks.Length;

        // Undeploy gating: dependents not yet torn down; and how many teardown operations succeeded.
        public int DependentsPending { get; set; }

        public int NextTeardown { get; set; }

        public bool InTeardown { get; set; }

        public bool TornDown { get; set; }

        // Latest value of each attribute produced by the node's succeeded operations.
        public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
    }
}
