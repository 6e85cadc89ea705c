using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orchestra.Actors;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>
/// The coordinator of one deployment (persistence id <c>deployment-&lt;id&gt;</c>), a <see cref="PersistentActor"/>: it recovers its
/// <see cref="DeploymentState"/> from snapshot + journal, journals every transition before acting on it, hands each started operation
/// to its node's <see cref="NodeActor"/>, and answers the host.
/// </summary>
/// <remarks>
/// <para><b>Batching.</b> Attempt results are gathered until a <see cref="Flush"/> the actor sends itself (so every result already in the
/// mailbox joins), applied, then <see cref="DeploymentState.Decide"/> runs; the results and the new <see cref="TaskStarted"/> events go to
/// the journal in ONE atomic, fenced write (<see cref="PersistentActor.PersistAll{TEvent}"/>), and only once it is durable do node actors
/// get their operations and notifications go out. The state is updated before the write (so one write can carry a success and the
/// starts it releases), which is safe because a failed or rejected write stops the actor: its in-memory state is discarded and the next
/// incarnation recovers from the journal.</para>
/// <para><b>Why the coordinator decides for every node.</b> Gating, the concurrency bound, retries and failure actions are decisions
/// over the whole graph; taking them in one turn of one actor makes them deterministic (the same events replay to the same state) and
/// lets a turn release many nodes with one write, which is what keeps 10,000 operations under two seconds on a durable journal.
/// Node actors carry them out.</para>
/// <para><b>Snapshots</b> leave the plan in event 1 (it never changes); restoring one reads it back.</para>
/// </remarks>
internal sealed partial class DeploymentActor : PersistentActor
{
    private readonly DeploymentActorSettings _settings;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IActorRef> _nodes = [];
    private readonly Dictionary<TaskRef, IActorRef> _running = [];
    private readonly List<AttemptEnded> _results = [];
    private readonly List<IActorRef> _waiters = [];
    private Lease? _lease;
    private bool _renewing;
    private DeploymentState? _state;
    private long _snapshotSequenceNr;
    private bool _flushScheduled;
    private DeploymentUnavailableException? _stopReason;
    private bool _stopping;
    private bool _firstCommandApplied;

    public DeploymentActor(DeploymentActorSettings settings)
        : base(settings.Persistence, settings.Serializer)
    {
        _settings = settings;
        _logger = settings.Logger;
        _lease = settings.Lease;
        Fence = settings.Lease?.ToFencingToken();
        PersistenceId = DeploymentRuns.PersistenceId(settings.DeploymentId, settings.Run);

        RecoverSnapshotAsync<DeploymentSnapshot>(RestoreAsync);
        Recover<DeploymentSubmitted>(submitted => _state ??= DeploymentState.Create(submitted));
        Recover<DeploymentEvent>(e => _state?.Apply(e));

        Receive<SubmitDeployment>(Submit);
        Receive<GetDeploymentView>(_ => Reply(null));
        Receive<DeploymentCommand>(Command);
        Receive<WaitUntilSettled>(_ =>
        {
            if (_state is { Status: var status } && !status.IsSettled())
            {
                _waiters.Add(Sender);
                return;
            }

            Reply(null);
        });
        Receive<AttemptEnded>(ended =>
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
        Receive<Flush>(_ =>
        {
            _flushScheduled = false;
            Pump();
        });
        Receive<Wake>(_ => Pump());
        Receive<Passivate>(_ =>
        {
            if (_state is { } state && state.Status.IsSettled() && _running.Count == 0 && _waiters.Count == 0)
            {
                LogPassivated(_settings.DeploymentId, state.Status);
                Context.Stop(Self);
            }
        });
        Receive<RenewLease>(_ => Renew());
        Receive<LeaseRenewal>(OnRenewal);
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    private EngineOptions Options => _settings.Options;

    private DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public static Props Props(DeploymentActorSettings settings) => Orchestra.Actors.Props.Create(() => new DeploymentActor(settings));

    protected override void PreStart()
    {
        if (_lease is not null)
        {
            Timers.StartPeriodicTimer("lease", RenewLease.Instance, Options.LeaseRenewInterval);
        }
    }

    // The host releases the lease (it orders that release before a new incarnation acquires it again).
    protected override void PostStop() => _settings.OnStopped(_settings.DeploymentId, Self, _stopReason);

    private async Task RestoreAsync(DeploymentSnapshot saved)
    {
        var submitted = saved.Submitted;
        if (submitted is null)
        {
            await foreach (var first in Journal.ReadEventsAsync(PersistenceId, 1, 1, 1).ConfigureAwait(false))
            {
                submitted = Serializer.Deserialize(first) as DeploymentSubmitted;
            }
        }

        _state = DeploymentState.Restore(
            saved,
            submitted ?? throw new InvalidOperationException("the snapshot leaves the plan in event 1, but event 1 is missing or is not DeploymentSubmitted"));
        _snapshotSequenceNr = LastSequenceNr;
    }

    protected override void OnRecoveryCompleted()
    {
        if (_state is null)
        {
            return;
        }

        KeepAlive();

        LogRecovered(_settings.DeploymentId, LastSequenceNr, _state.Status);
        Publish(new DeploymentNotification(_settings.DeploymentId, NotificationKind.Recovered, Now, _state.Status, Message: $"recovered at event {LastSequenceNr}: {_state.StatusReason}", SequenceNr: LastSequenceNr));

        // What was running when the previous owner stopped runs again (or is recorded cancelled), journaled before any command but the
        // one this incarnation was started for: a pause then starts nothing new, a cancel records them cancelled instead of rerunning them.
        var batch = new List<DeploymentEvent>();
        if (_settings.FirstCommand is { } first && _state.Reject(first) is null)
        {
            _state.Apply(first);
            batch.Add(first);
            _firstCommandApplied = true;
        }

        foreach (var e in _state.Recover(Now))
        {
            _state.Apply(e);
            batch.Add(e);
        }

        Pump(batch);
    }

    protected override void OnRecoveryFailure(RecoveryFailedException cause) =>
        Fail($"deployment '{_settings.DeploymentId}' cannot be recovered: {cause.Message}", cause);

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        Fail($"deployment '{_settings.DeploymentId}' stopped: writing events from {sequenceNr} failed ({cause.Message}); the next request recovers it from the journal", cause);

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // Another writer or a lost lease: this incarnation's state can no longer be trusted.
        Fail($"deployment '{_settings.DeploymentId}' stopped: the journal refused events from {sequenceNr} ({cause.Message})", cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private void Fail(string message, Exception? cause)
    {
        _stopping = true;
        _stopReason ??= new DeploymentUnavailableException(_settings.DeploymentId, message, cause);
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
        Persist(new DeploymentSubmitted(Now, _settings.DeploymentId, submit.Plan, submit.Options) { Run = _settings.Run == 1 ? null : _settings.Run }, submitted =>
        {
            _state = DeploymentState.Create(submitted);
            Publish(Notify(submitted, LastSequenceNr));
            if (!submit.Start)
            {
                sender.Tell(new DeploymentReply(_state.ToView(LastSequenceNr), Created: true));
                Context.Stop(Self);
                return;
            }

            Pump();
            Defer(() => sender.Tell(new DeploymentReply(_state.ToView(LastSequenceNr), Created: true)));
        });
    }

    private void Command(DeploymentCommand command)
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
            Defer(() => sender.Tell(new DeploymentReply(_state.ToView(LastSequenceNr))));
            return;
        }

        if (_state.Reject(command.Event) is { } why)
        {
            Reply(why);
            return;
        }

        _state.Apply(command.Event);
        Pump([command.Event]);
        Defer(() =>
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
            Timers.StartSingleTimer("passivate", Passivate.Instance, Options.PassivateSettledAfter);
        }
    }

    // Applies gathered results, decides, journals everything in one write, then acts (run operations, notify, snapshot, wake waiters).
    private void Pump(List<DeploymentEvent>? batch = null)
    {
        if (_state is null || _stopping)
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
            var sequenceNr = LastSequenceNr;
            PersistAll(batch, e =>
            {
                sequenceNr++;
                if (e is TaskStarted started)
                {
                    Run(started);
                }

                if (e is not TaskOutputCaptured)
                {
                    Publish(Notify(e, sequenceNr));
                }
            });
        }

        Defer(() => AfterWrite(now, wake));
    }

    private void AfterWrite(DateTimeOffset now, DateTimeOffset? wake)
    {
        var state = _state!;
        if (LastSequenceNr - _snapshotSequenceNr >= Options.SnapshotEveryEvents)
        {
            _snapshotSequenceNr = LastSequenceNr;
            SaveSnapshot(state.ToSnapshot(submitted: null));
        }

        if (wake is { } at)
        {
            Timers.StartSingleTimer("wake", Wake.Instance, at > now ? at - now : TimeSpan.Zero);
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
        if (_stopping)
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
        Fence = renewed.ToFencingToken();

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

    private DeploymentNotification Notify(DeploymentEvent e, long sequenceNr) =>
        DeploymentNotifications.Of(_settings.DeploymentId, e, sequenceNr, _state!);

    private void Publish(DeploymentNotification notification) => Context.System.EventStream.Publish(notification);

    // Each line an attempt prints goes out live (for `logs --follow`), from the executor's threads: the EventStream is thread-safe,
    // and everything the notification needs is captured here, in the mailbox.
    private Action<OutputStream, string> LiveOutput(TaskStarted started)
    {
        var events = Context.System.EventStream;
        var (id, status, nodeStatus) = (_settings.DeploymentId, _state!.Status, _state.NodeStatusOf(started.Node));
        var runs = started.Phase == TaskPhase.Revert ? _state.Plan.RevertNameOf(started.Node, started.Operation) : null;
        return (stream, line) => events.Publish(new DeploymentNotification(
            id, NotificationKind.TaskOutput, Options.TimeProvider.GetUtcNow(), status, started.Node, started.Operation, started.Phase, started.Attempt, nodeStatus, line)
        {
            Stream = stream,
            Runs = runs,
        });
    }

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
