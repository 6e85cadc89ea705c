using Microsoft.Extensions.Logging;
using Akka.Actor;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Executors.Internal;
using Orchestra.Engine.Hosting;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>What a <see cref="DeploymentActor"/> needs from its host.</summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Persistence">The stores.</param>
/// <param name="Serializer">The event serializer (deployment events registered).</param>
/// <param name="Executors">The executors.</param>
/// <param name="Options">The engine options.</param>
/// <param name="Lease">The lease the actor runs under (its writes are fenced with it), or <see langword="null"/> when leases are off.</param>
/// <param name="Deadline">The lease's deadline, which stops the running attempts once no renewal succeeded for a TTL; with <paramref name="Lease"/>.</param>
/// <param name="OnStopped">Called when the actor stops, with why it stopped on its own (<see langword="null"/> when it was told to stop).</param>
/// <param name="Logger">Where to log.</param>
/// <param name="Notifications">The host's subscribers, called as each notification is published.</param>
/// <param name="Run">Which run of the deployment the actor coordinates (its persistence id names it from run 2 on).</param>
/// <param name="FirstCommand">
/// A command this incarnation was started for (pause or cancel of a deployment nobody drove): decided right after recovery, before the
/// operations that were running are started again, so a pause starts nothing new and a cancel reruns nothing.
/// </param>
internal sealed record DeploymentActorSettings(
    string DeploymentId,
    IPersistence Persistence,
    EventSerializer Serializer,
    ExecutorRegistry Executors,
    EngineOptions Options,
    Lease? Lease,
    LeaseDeadline? Deadline,
    Action<string, IActorRef, DeploymentUnavailableException?> OnStopped,
    ILogger Logger,
    NotificationHub Notifications,
    int Run = 1,
    DeploymentEvent? FirstCommand = null);
