using Orchestra.Actors.Persistence;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>Submits the deployment's plan; idempotent (the same plan again answers with the current view).</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Options">The submission's options.</param>
/// <param name="Start">
/// Whether to start it: when <see langword="false"/> only the submission is journaled, nothing runs, and the actor stops once it has
/// answered (so its lease is released), leaving the deployment pending for whoever drives it next.
/// </param>
internal sealed record SubmitDeployment(DeploymentPlan Plan, SubmitOptions Options, bool Start = true);

/// <summary>Asks for the current view.</summary>
internal sealed record GetDeploymentView
{
    public static GetDeploymentView Instance { get; } = new();
}

/// <summary>An operator command: its event (pause/resume/cancel/retry/undeploy requested) is journaled if the state allows it.</summary>
internal sealed record DeploymentCommand(DeploymentEvent Event);

/// <summary>Answers when the deployment is settled.</summary>
internal sealed record WaitUntilSettled
{
    public static WaitUntilSettled Instance { get; } = new();
}

/// <summary>The answer to every request: the view after it, or why it was refused (or that the deployment does not exist).</summary>
/// <param name="View">The deployment after the request; <see langword="null"/> when it does not exist.</param>
/// <param name="Rejection">Why the request was refused, if it was.</param>
/// <param name="NotFound">Whether there is no such deployment.</param>
/// <param name="Created">For a <see cref="SubmitDeployment"/>: whether this very submission was journaled (the actor takes one message at a
/// time, so of any number of identical submissions exactly one is answered with it).</param>
internal sealed record DeploymentReply(DeploymentView? View, string? Rejection = null, bool NotFound = false, bool Created = false);

/// <summary>Journal the results gathered since the last flush, decide, and start what is ready (sent by the actor to itself).</summary>
internal sealed record Flush
{
    public static Flush Instance { get; } = new();
}

/// <summary>A retry's backoff elapsed: decide again.</summary>
internal sealed record Wake
{
    public static Wake Instance { get; } = new();
}

/// <summary>Renew the lease now.</summary>
internal sealed record RenewLease
{
    public static RenewLease Instance { get; } = new();
}

/// <summary>The deployment has been settled and unasked for <see cref="EngineOptions.PassivateSettledAfter"/>: stop and free its memory.</summary>
internal sealed record Passivate
{
    public static Passivate Instance { get; } = new();
}

/// <summary>How a lease renewal ended (piped back to the actor).</summary>
/// <param name="SentAt">When it was sent.</param>
/// <param name="Renewed">The renewed lease, or <see langword="null"/> when another owner has it (and no failure).</param>
/// <param name="Failure">Why the renewal could not be done (store error, timeout); it is tried again.</param>
internal sealed record LeaseRenewal(DateTimeOffset SentAt, Lease? Renewed, Exception? Failure);

/// <summary>The plan read back after a snapshot (or nothing to read), told by the actor to itself: recovery is over, start.</summary>
/// <param name="Submitted">Event 1, when a snapshot left the plan there; <see langword="null"/> when the state is whole already.</param>
/// <param name="Failure">Why event 1 could not be read.</param>
internal sealed record PlanRead(DeploymentSubmitted? Submitted, Exception? Failure);

/// <summary>The supervision of the engine's actors: a failed child fails its parent, up to the deployment actor, which stops.</summary>
internal static class EscalatingStrategy
{
    public static Akka.Actor.SupervisorStrategy Instance { get; } = new Akka.Actor.OneForOneStrategy(_ => Akka.Actor.Directive.Escalate);
}
