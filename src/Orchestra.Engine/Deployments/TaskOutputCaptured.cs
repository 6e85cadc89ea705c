using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Deployments;

/// <summary>
/// The end of what an attempt's process printed, journaled in the same write as the attempt's outcome (<see cref="TaskSucceeded"/>,
/// <see cref="TaskAttemptFailed"/>, <see cref="TaskFailed"/> or <see cref="TaskCancelled"/>), right before it. Only an attempt that printed
/// something has one. It changes no state: it is there to be read back (<see cref="AttemptLogs"/>, <c>orchestra logs</c>).
/// </summary>
/// <remarks>Added after release 1 (manifest <c>engine.task-output-captured.v1</c>): journals written before it simply have none.</remarks>
/// <param name="At">When the attempt ended.</param>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation name (for a revert: the name of the deploy operation it reverts).</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Attempt">The attempt that printed it.</param>
/// <param name="Stdout">The end of its standard output, if it wrote any.</param>
/// <param name="Stderr">The end of its standard error, if it wrote any.</param>
public sealed record TaskOutputCaptured(
    DateTimeOffset At, string Node, string Operation, TaskPhase Phase, int Attempt, OutputTail? Stdout, OutputTail? Stderr) : DeploymentEvent(At);
