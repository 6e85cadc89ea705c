using System.Text.Json;
using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Executors;

/// <summary>One attempt of one operation, ready to run: everything an executor needs, inputs already evaluated.</summary>
/// <param name="DeploymentId">The deployment (<c>ORCHESTRA_DEPLOYMENT</c>).</param>
/// <param name="Node">The node (<c>ORCHESTRA_NODE</c>).</param>
/// <param name="Operation">The name of the operation that runs (<c>ORCHESTRA_OPERATION</c>); for a revert, the revert operation (<c>Standard.delete</c>).</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Implementation">What to run: a path relative to <paramref name="WorkingDirectory"/> or a built-in name.</param>
/// <param name="Inputs">The inputs, evaluated and rendered to text (<see cref="Plans.PlanValue.Render"/>).</param>
/// <param name="Attempt">The 1-based attempt number (<c>ORCHESTRA_ATTEMPT</c>).</param>
/// <param name="IdempotencyKey">The same for every attempt and re-run of this task (<c>ORCHESTRA_IDEMPOTENCY_KEY</c>).</param>
/// <param name="WorkingDirectory">The plan's base directory, or <see langword="null"/> for the process's current directory.</param>
/// <param name="Timeout">How long the attempt may run; the executor's token also fires then.</param>
/// <param name="Reverting">For a revert, the deploy operation it reverts (<c>ORCHESTRA_REVERTING</c>, e.g. <c>Standard.create</c>); otherwise <see langword="null"/>.</param>
public sealed record OperationRequest(
    string DeploymentId,
    string Node,
    string Operation,
    TaskPhase Phase,
    string Implementation,
    IReadOnlyDictionary<string, string> Inputs,
    int Attempt,
    string IdempotencyKey,
    string? WorkingDirectory,
    TimeSpan Timeout,
    string? Reverting = null)
{
    /// <summary>
    /// Called with each line the attempt writes, as it is written (without its newline; a line longer than
    /// <see cref="EngineOptions.OutputLineMaxChars"/> comes in pieces), for live views; <see langword="null"/> when nobody listens.
    /// </summary>
    /// <remarks>Called from the executor's reading threads, possibly for both streams at once: it must be fast, thread-safe and never throw.</remarks>
    public Action<OutputStream, string>? OnOutputLine { get; init; }

    /// <summary>
    /// The inputs as evaluated, with their JSON kinds (a list stays a list, a number a number), for executors that pass structured
    /// values (the Ansible executor's extra variables); <see langword="null"/> when the request was built without them, and then
    /// <see cref="Inputs"/> is all there is.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement>? InputValues { get; init; }

    /// <summary>The operation's other files (TOSCA <c>dependencies</c>), relative to <see cref="WorkingDirectory"/>; <see langword="null"/> for none.</summary>
    public IReadOnlyList<string>? Dependencies { get; init; }

    /// <summary>
    /// The address of the machine the operation acts on (its host's <c>public_address</c>, evaluated when the attempt starts), for
    /// executors that reach it themselves (Ansible); <see langword="null"/> or empty when that is the orchestrator's own machine.
    /// </summary>
    public string? Host { get; init; }
}
