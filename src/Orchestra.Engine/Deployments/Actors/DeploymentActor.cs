using System.Text.Json;
using Akka.Actor;
using Akka.Persistence;
using Microsoft.Extensions.Logging;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Persistence;
using SaveSnapshotFailure = Akka.Persistence.SaveSnapshotFailure;
using SaveSnapshotSuccess = Akka.Persistence.SaveSnapshotSuccess;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>
/// The coordinator of one deployment run (persistence id <c>deployment-&lt;id&gt;</c>), an Akka <see cref="ReceivePersistentActor"/>: it
/// recovers its <see cref="DeploymentState"/> from snapshot + journal, journals every transition before acting on it, hands each started
/// operation to its node's <see cref="NodeActor"/>, and answers the host.
/// </summary>
/// <remarks>
/// <para><b>Lifecycle</b>, as behaviours: <em>recovering</em> (Akka replays the journal and stashes every command), <em>starting</em>
/// (the plan is read back if a snapshot left it in event 1, then what recovery decides, with the command the incarnation was started for,
/// is journaled in one write; commands wait in the stash), <em>active</em>, and <em>stopping</em> (a failed or refused write, a lost
/// lease: nothing more is journaled or answered, and the host learns why when the actor has stopped).</para>
/// <para><b>Batching.</b> Attempt results are gathered until a <see cref="Flush"/> the actor sends itself (so every result already in the
/// mailbox joins), applied, then <see cref="DeploymentState.Decide"/> runs; the results and the new <see cref="TaskStarted"/> events go to
/// the journal in ONE atomic, fenced write (<c>PersistAll</c> of <see cref="Fenced"/> events), and only once it is durable do node actors
/// get their operations and notifications go out. The state is updated before the write (so one write can carry a success and the
/// starts it releases), which is safe because a failed or rejected write stops the actor: its in-memory state is discarded and the next
/// incarnation recovers from the journal.</para>
/// <para><b>Why the coordinator decides for every node.</b> Gating, the concurrency bound, retries and failure actions are decisions
/// over the whole graph; taking them in one turn of one actor makes them deterministic (the same events replay to the same state) and
/// lets a turn release many nodes with one write, which is what keeps 10,000 operations under two seconds on a durable journal.
/// Node actors carry them out; one that fails escalates, and the deployment actor stops (the next request recovers it).</para>
/// <para><b>Snapshots</b> leave the plan in event 1 (it never changes); restoring one reads it back.</para>
/// <para><b>Timers</b> run on <see cref="EngineOptions.TimeProvider"/> (<see cref="ClockTimers"/>), so a test's clock drives retries,
/// renewals and passivation.</para>
/// </remarks>
internal sealed partial class DeploymentActor : ReceivePersistentActor
{
    private readonly DeploymentActorSettings _settings;
    private readonly ILogger _logger;
    private readonly ClockTimers _timers;
    private readonly Dictionary<string, IActorRef> _nodes = [];
    private readonly Dictionary<TaskRef, IActorRef> _running = [];
    private readonly List<AttemptEnded> _results = [];
    private readonly List<IActorRef> _waiters = [];
    private readonly List<DeploymentEvent> _replayedAfterSnapshot = [];
    private Lease? _lease;
    private FencingToken? _fence;
    private bool _renewing;
    private DeploymentState? _state;
    private DeploymentSnapshot? _snapshot;
    private long _snapshotSequenceNr;
    private bool _flushScheduled;
    private DeploymentUnavailableException? _stopReason;
    private bool _firstCommandApplied;

    public DeploymentActor(DeploymentActorSettings settings)
    {
        _settings = settings;
        _logger = settings.Logger;
        _lease = settings.Lease;
        _fence = settings.Lease?.ToFencingToken();
        _timers = new ClockTimers(Self, settings.Options.TimeProvider);
        PersistenceId = DeploymentRuns.PersistenceId(settings.DeploymentId, settings.Run);

        Recover<SnapshotOffer>(offer =>
        {
            _snapshot = (DeploymentSnapshot)offer.Snapshot;
            _snapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<DeploymentSubmitted>(submitted => _state ??= DeploymentState.Create(submitted));
        Recover<DeploymentEvent>(e =>
        {
            if (_state is not null)
            {
                _state.Apply(e);
            }
            else if (_snapshot is not null)
            {
                // The plan comes back with event 1 once recovery has ended; until then the events after the snapshot wait.
                _replayedAfterSnapshot.Add(e);
            }
        });
        Recover<RecoveryCompleted>(_ => Recovered());
        Active();
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    private EngineOptions Options => _settings.Options;

    private DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public static Props Props(DeploymentActorSettings settings) => FactoryProps.Of(() => new DeploymentActor(settings));

    // A node actor that fails (it never should) stops this incarnation: the journal, not a restarted child, says what runs.
    protected override SupervisorStrategy SupervisorStrategy() => EscalatingStrategy.Instance;

    protected override void PreStart()
    {
        base.PreStart();
        if (_lease is not null)
        {
            _timers.StartPeriodicTimer("lease", RenewLease.Instance, Options.LeaseRenewInterval);
        }
    }

    // The host releases the lease (it orders that release before a new incarnation acquires it again).
    protected override void PostStop()
    {
        _timers.Dispose();
        base.PostStop();
        _settings.OnStopped(_settings.DeploymentId, Self, _stopReason);
    }

    private void Recovered()
    {
        if (_snapshot is { } saved && _state is null)
        {
            Become(Starting);
            ReadPlanAsync(saved).PipeTo(Self, failure: e => new PlanRead(null, e));
        }
        else if (_state is not null)
        {
            Become(Starting);
            Self.Tell(new PlanRead(null, null));
        }
    }

    // Restoring a snapshot: event 1 holds the plan the snapshot leaves out.
    private async Task<PlanRead> ReadPlanAsync(DeploymentSnapshot saved)
    {
        var submitted = saved.Submitted;
        if (submitted is null)
        {
            await foreach (var first in _settings.Persistence.Journal.ReadEventsAsync(PersistenceId, 1, 1, 1).ConfigureAwait(false))
            {
                submitted = _settings.Serializer.Deserialize(first) as DeploymentSubmitted;
            }
        }

        return new PlanRead(
            submitted ?? throw new InvalidOperationException("the snapshot leaves the plan in event 1, but event 1 is missing or is not DeploymentSubmitted"),
            null);
    }

    // Recovered, not yet answering: the plan is read back if need be, then what recovery decides is journaled first.
    private void Starting()
    {
        Command<PlanRead>(read =>
        {
            if (read.Failure is { } failure)
            {
                Fail($"deployment '{_settings.DeploymentId}' cannot be recovered: {failure.Message}", failure);
                return;
            }

            if (read.Submitted is { } submitted)
            {
                _state = DeploymentState.Restore(_snapshot!, submitted);
                foreach (var e in _replayedAfterSnapshot)
                {
                    _state.Apply(e);
                }

                _replayedAfterSnapshot.Clear();
            }

            Become(Active);
            Resume();
            Stash.UnstashAll();
        });
        Command<ClockTimers.Fired>(OnTimer);
        CommandAny(_ => Stash.Stash());
    }

    private void Active()
    {
        Command<SubmitDeployment>(Submit);
        Command<GetDeploymentView>(_ => Reply(null));
        Command<DeploymentCommand>(OnOperatorCommand);
        Command<WaitUntilSettled>(_ =>
        {
            if (_state is { Status: var status } && !status.IsSettled())
            {
                _waiters.Add(Sender);
                return;
            }

            Reply(null);
        });
        Command<AttemptEnded>(ended =>
        {
            if (_running.TryGetValue(ended.Task, out var node) && node.Equals(Sender))
            {
                _running.Remove(ended.Task);
            }

            _results.Add(ended);
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                Self.Tell(Flush.Instance);
            }
        });
        Command<Flush>(_ =>
        {
            _flushScheduled = false;
            Pump();
        });
        Command<ClockTimers.Fired>(OnTimer);
        Command<LeaseRenewal>(OnRenewal);
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(failure => LogSnapshotFailed(failure.Cause, _settings.DeploymentId, failure.Metadata.SequenceNr));
    }

    // Failed: nothing more is journaled or answered; the host's ask ends with why once the actor has stopped.
    private void Stopping() => CommandAny(_ => { });

    private void OnTimer(ClockTimers.Fired fired)
    {
        switch (_timers.TryUnwrap(fired))
        {
            case Wake:
                Pump();
                break;
            case RenewLease:
                Renew();
                break;
            case Passivate when _state is { } state && state.Status.IsSettled() && _running.Count == 0 && _waiters.Count == 0:
                LogPassivated(_settings.DeploymentId, state.Status);
                Context.Stop(Self);
                break;
        }
    }

    // What was running when the previous owner stopped runs again (or is recorded cancelled), journaled before any command but the one
    // this incarnation was started for: a pause then starts nothing new, a cancel records them cancelled instead of rerunning them.
    private void Resume()
    {
        var state = _state!;
        KeepAlive();
        LogRecovered(_settings.DeploymentId, LastSequenceNr, state.Status);
        Publish(new DeploymentNotification(_settings.DeploymentId, NotificationKind.Recovered, Now, state.Status, Message: $"recovered at event {LastSequenceNr}: {state.StatusReason}", SequenceNr: LastSequenceNr));

        var batch = new List<DeploymentEvent>();
        if (_settings.FirstCommand is { } first && state.Reject(first) is null)
        {
            state.Apply(first);
            batch.Add(first);
            _firstCommandApplied = true;
        }

        foreach (var e in state.Recover(Now))
        {
            state.Apply(e);
            batch.Add(e);
        }

        Pump(batch);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        // Name the event that cannot be read, so that the operator can find the row.
        var where = (reason as EventDeserializationException ?? reason.InnerException as EventDeserializationException) is { SequenceNr: { } sequenceNr } unreadable
            ? $" the event at sequence number {sequenceNr} (manifest '{unreadable.Manifest}') cannot be read:"
            : (reason as JournalCorruptedException ?? reason.InnerException as JournalCorruptedException) is { } corrupt
                ? $" the event at sequence number {corrupt.SequenceNr} (manifest '{corrupt.Manifest}') is corrupt:"
                : string.Empty;
        Fail($"deployment '{_settings.DeploymentId}' cannot be recovered:{where} {reason.Message}", reason);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        Fail($"deployment '{_settings.DeploymentId}' stopped: writing events from {sequenceNr} failed ({cause.Message}); the next request recovers it from the journal", cause);

    // Another writer or a lost lease: this incarnation's state can no longer be trusted.
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        Fail($"deployment '{_settings.DeploymentId}' stopped: the journal refused events from {sequenceNr} ({cause.Message})", cause);

    private void Fail(string message, Exception? cause)
    {
        _stopReason ??= new DeploymentUnavailableException(_settings.DeploymentId, message, cause);
        Become(Stopping);
        Context.Stop(Self);
    }

    private void Submit(SubmitDeployment submit)
    {
        if (_state is not null)
        {
            var same = JsonSerializer.Serialize(_state.Plan, EventSerializer.DefaultJsonOptions) == JsonSerializer.Serialize(submit.Plan, EventSerializer.DefaultJsonOptions);
            Reply(same ? null : DeploymentRuns.WhyNoOtherPlan(_state.ToView(LastSequenceNr)));
            return;
        }

        var sender = Sender;
        Persist(Fence(new DeploymentSubmitted(Now, _settings.DeploymentId, submit.Plan, submit.Options) { Run = _settings.Run == 1 ? null : _settings.Run }), written =>
        {
            var submitted = (DeploymentSubmitted)Unfence(written);
            _state = DeploymentState.Create(submitted);
            Publish(Notify(submitted, LastSequenceNr));
            if (!submit.Start)
            {
                sender.Tell(new DeploymentReply(_state.ToView(LastSequenceNr), Created: true));
                Context.Stop(Self);
                return;
            }

            Pump();
            DeferAsync(sender, _ => sender.Tell(new DeploymentReply(_state.ToView(LastSequenceNr), Created: true)));
        });
    }

    private void OnOperatorCommand(DeploymentCommand command)
    {
        if (_state is null)
        {
            Sender.Tell(new DeploymentReply(null, NotFound: true));
            return;
        }

        var sender = Sender;
        if (_firstCommandApplied && ReferenceEquals(command.Event, _settings.FirstCommand))
        {
            // Journaled at recovery, in the same write as what recovery decided: answer once that is durable.
            _firstCommandApplied = false;
            DeferAsync(sender, _ => sender.Tell(new DeploymentReply(_state.ToView(LastSequenceNr))));
            return;
        }

        if (_state.Reject(command.Event) is { } why)
        {
            Reply(why);
            return;
        }

        _state.Apply(command.Event);
        Pump([command.Event]);
        DeferAsync(sender, _ =>
        {
            // Running attempts are cancelled only once the cancel request is durable.
            if (command.Event is DeploymentCancelRequested)
            {
                foreach (var node in _running.Values.Distinct())
                {
                    node.Tell(CancelAttempt.Instance);
                }
            }

            sender.Tell(new DeploymentReply(_state.ToView(LastSequenceNr)));
        });
    }

    private void Reply(string? rejection)
    {
        Sender.Tell(_state is null ? new DeploymentReply(null, NotFound: true) : new DeploymentReply(_state.ToView(LastSequenceNr), rejection));
        KeepAlive();
    }

    // A settled deployment stays in memory while it is asked for; after PassivateSettledAfter without a request it stops.
    private void KeepAlive()
    {
        if (_state is { } state && state.Status.IsSettled() && Options.PassivateSettledAfter != Timeout.InfiniteTimeSpan)
        {
            _timers.StartSingleTimer("passivate", Passivate.Instance, Options.PassivateSettledAfter);
        }
    }

    // Applies gathered results, decides, journals everything in one write, then acts (run operations, notify, snapshot, wake waiters).
    private void Pump(List<DeploymentEvent>? batch = null)
    {
        if (_state is null || _stopReason is not null)
        {
            return;
        }

        // Nothing is journaled once the lease may have moved on, not even the end of an attempt its deadline stopped.
        if (LeaseRanOut())
        {
            StopLeaseRanOut();
            return;
        }

        batch ??= [];
        var now = Now;
        foreach (var ended in _results)
        {
            if (_state.ResultEvent(ended.Task, ended.Attempt, ended.Result, now) is { } e)
            {
                // What the script printed goes into the same write as its outcome, so a restart keeps both or neither.
                if (ended.Result is { Stdout: not null } or { Stderr: not null })
                {
                    var output = new TaskOutputCaptured(now, ended.Task.Node, ended.Task.Operation, ended.Task.Phase, ended.Attempt, ended.Result.Stdout, ended.Result.Stderr);
                    _state.Apply(output);
                    batch.Add(output);
                }

                _state.Apply(e);
                batch.Add(e);
            }
        }

        _results.Clear();
        DateTimeOffset? wake = null;
        for (var round = 0; round < 64; round++)
        {
            var decision = _state.Decide(now, Options.MaxConcurrentTasks);
            wake = decision.WakeAt;
            if (decision.Events.Count == 0)
            {
                break;
            }

            foreach (var e in decision.Events)
            {
                _state.Apply(e);
                batch.Add(e);
            }
        }

        if (batch.Count > 0)
        {
            PersistAll(batch.Select(Fence), written =>
            {
                var e = Unfence(written);
                if (e is TaskStarted started)
                {
                    Run(started);
                }

                if (e is not TaskOutputCaptured)
                {
                    Publish(Notify(e, LastSequenceNr));
                }
            });
        }

        DeferAsync(wake, _ => AfterWrite(now, wake));
    }

    private void AfterWrite(DateTimeOffset now, DateTimeOffset? wake)
    {
        // A refused write still runs the deferred handlers after it: the state they would snapshot or act on was never journaled.
        if (_stopReason is not null)
        {
            return;
        }

        var state = _state!;
        if (LastSequenceNr - _snapshotSequenceNr >= Options.SnapshotEveryEvents)
        {
            _snapshotSequenceNr = LastSequenceNr;
            SaveSnapshot(state.ToSnapshot(submitted: null));
        }

        if (wake is { } at)
        {
            _timers.StartSingleTimer("wake", Wake.Instance, at > now ? at - now : TimeSpan.Zero);
        }

        if (!state.Status.IsSettled())
        {
            return;
        }

        KeepAlive();

        if (_waiters.Count > 0)
        {
            var view = new DeploymentReply(state.ToView(LastSequenceNr));
            foreach (var waiter in _waiters)
            {
                waiter.Tell(view);
            }

            _waiters.Clear();
        }

        // Settled: nothing runs, so the node actors go until the node has work again (undeploy, retry).
        if (_running.Count == 0)
        {
            foreach (var node in _nodes.Values)
            {
                Context.Stop(node);
            }

            _nodes.Clear();
        }
    }

    private void Run(TaskStarted started)
    {
        var task = new TaskRef(started.Node, started.Operation, started.Phase);
        if (!_nodes.TryGetValue(started.Node, out var node))
        {
            node = Context.ActorOf(NodeActor.Props(started.Node, _settings.Executors, Options.TimeProvider, Self, _logger));
            _nodes[started.Node] = node;
        }

        _running[task] = node;
        node.Tell(new RunOperation(task, _state!.CreateRequest(started, Options.DefaultOperationTimeout) with { OnOutputLine = LiveOutput(started) }));
    }

    // Renewal runs outside the mailbox (a hung store must not freeze the deployment), one at a time, given half the renew interval, so
    // it has ended, one way or the other, before the next tick.
    private void Renew()
    {
        if (_lease is not { } lease)
        {
            return;
        }

        var now = Now;
        if (LeaseRanOut())
        {
            StopLeaseRanOut();
            return;
        }

        if (_renewing)
        {
            return;
        }

        _renewing = true;
        var timeout = new CancellationTokenSource(Options.LeaseRenewInterval / 2, Options.TimeProvider);
        _settings.Persistence.Leases.RenewAsync(lease, Options.LeaseTtl, timeout.Token).AsTask()
            .ContinueWith(
                t =>
                {
                    timeout.Dispose();
                    return t.IsCompletedSuccessfully ? new LeaseRenewal(now, t.Result, null) : new LeaseRenewal(now, null, t.Exception?.InnerException ?? new OperationCanceledException("lease renewal timed out"));
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void OnRenewal(LeaseRenewal renewal)
    {
        _renewing = false;
        if (_stopReason is not null)
        {
            return;
        }

        if (renewal.Failure is { } failure)
        {
            // Tried again at the next tick; the TTL leaves room for a few failures, and Renew stops the actor once it has run out.
            LogRenewFailed(failure, _settings.DeploymentId);
            return;
        }

        if (renewal.Renewed is not { } renewed)
        {
            _settings.Deadline?.Lost();
            LogLeaseLost(_settings.DeploymentId);
            Fail($"deployment '{_settings.DeploymentId}' stopped here: its lease moved to another owner", null);
            Context.Stop(Self);
            return;
        }

        _lease = renewed;
        _fence = renewed.ToFencingToken();

        // Counted from when the renewal was sent, not when its answer arrived: the store's expiry is at least that late.
        _settings.Deadline?.Renewed(renewal.SentAt);
    }

    // Whether no renewal succeeded for a whole TTL (or the lease was lost): another owner may run this deployment now. The deadline's
    // own timer has already stopped the running attempts, outside this mailbox, or does so at this very moment.
    private bool LeaseRanOut() => _settings.Deadline is { } deadline && (deadline.IsExpired || Now >= deadline.ValidUntil);

    // Stopping cancels the running attempts too, for an executor that did not observe the deadline.
    private void StopLeaseRanOut()
    {
        LogLeaseExpired(_settings.DeploymentId, Options.LeaseTtl);
        Fail($"deployment '{_settings.DeploymentId}' stopped here: its lease could not be renewed for {Options.LeaseTtl} and may have moved to another owner", null);
        Context.Stop(Self);
    }

    // Every write carries the lease it is made under, checked by the journal in the transaction that stores it.
    private object Fence(DeploymentEvent e) => _fence is { } token ? new Fenced(token, e) : e;

    private static DeploymentEvent Unfence(object written) => (DeploymentEvent)(written is Fenced fenced ? fenced.Event : written);

    private DeploymentNotification Notify(DeploymentEvent e, long sequenceNr) =>
        DeploymentNotifications.Of(_settings.DeploymentId, e, sequenceNr, _state!);

    // The host's handlers first, synchronously, so they have it before this turn answers anyone; then Akka's EventStream.
    private void Publish(DeploymentNotification notification)
    {
        _settings.Notifications.Publish(notification);
        Context.System.EventStream.Publish(notification);
    }

    // Each line an attempt prints goes out live (for `logs --follow`), from the executor's threads: the hub and the EventStream are thread-safe,
    // and everything the notification needs is captured here, in the mailbox.
    private Action<OutputStream, string> LiveOutput(TaskStarted started)
    {
        var (events, hub) = (Context.System.EventStream, _settings.Notifications);
        var (id, status, nodeStatus) = (_settings.DeploymentId, _state!.Status, _state.NodeStatusOf(started.Node));
        var runs = started.Phase == TaskPhase.Revert ? _state.Plan.RevertNameOf(started.Node, started.Operation) : null;
        return (stream, line) =>
        {
            var notification = new DeploymentNotification(
                id, NotificationKind.TaskOutput, Options.TimeProvider.GetUtcNow(), status, started.Node, started.Operation, started.Phase, started.Attempt, nodeStatus, line)
            {
                Stream = stream,
                Runs = runs,
            };
            hub.Publish(notification);
            events.Publish(notification);
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: saving a snapshot at event {SequenceNr} failed; recovery replays from the previous one")]
    private partial void LogSnapshotFailed(Exception exception, string deploymentId, long sequenceNr);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} recovered at event {SequenceNr} ({Status})")]
    private partial void LogRecovered(string deploymentId, long sequenceNr, DeploymentStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: lease renewal failed; retrying at the next tick while the lease lasts")]
    private partial void LogRenewFailed(Exception exception, string deploymentId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deployment {DeploymentId} ({Status}) unasked for a while: passivated; the next request recovers it")]
    private partial void LogPassivated(string deploymentId, DeploymentStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId}: no lease renewal succeeded for {Ttl}; stopping (another owner may take over)")]
    private partial void LogLeaseExpired(string deploymentId, TimeSpan ttl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: lease lost to another owner; stopping")]
    private partial void LogLeaseLost(string deploymentId);
}
