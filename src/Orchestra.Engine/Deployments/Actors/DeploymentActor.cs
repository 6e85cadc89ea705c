using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orchestra.Actors;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Hosting;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>
/// The coordinator of one deployment (persistence id <c>deployment-&lt;id&gt;</c>): recovers its <see cref="DeploymentState"/> from
/// snapshot + journal, journals every transition before acting on it, starts a <see cref="TaskActor"/> per attempt, and answers the host.
/// </summary>
/// <remarks>
/// <para><b>Batching.</b> Attempt results are gathered until a <see cref="Flush"/> the actor sends itself (so every result already in the
/// mailbox joins), applied, then <see cref="DeploymentState.Decide"/> runs; the results and the new <see cref="TaskStarted"/> events go to
/// the journal in ONE atomic write, and only once it is durable do task actors start and notifications go out. The state is updated
/// before the write (so one write can carry a success and the starts it releases), which is safe because a failed or unknown write stops
/// the actor: its in-memory state is discarded and the next incarnation recovers from the journal.</para>
/// <para><b>Why not PersistentActor.</b> Written before the runtime's PersistentActor existed; it uses <see cref="IJournal"/> and
/// <see cref="ISnapshotStore"/> directly for this one actor. It should move onto PersistentActor once that offers atomic multi-event
/// writes with a fencing token.</para>
/// </remarks>
internal sealed partial class DeploymentActor : ReceiveActor
{
    private readonly DeploymentActorSettings _settings;
    private readonly ILogger _logger;
    private readonly string _persistenceId;
    private readonly FencingToken? _fence;
    private readonly Dictionary<TaskRef, IActorRef> _tasks = [];
    private readonly List<AttemptEnded> _results = [];
    private readonly List<IActorRef> _waiters = [];
    private Lease? _lease;
    private DeploymentState? _state;
    private DeploymentSubmitted? _submitted;
    private long _sequenceNr;
    private long _snapshotSequenceNr;
    private bool _flushScheduled;
    private bool _stopping;
    private bool _recovered;

    public DeploymentActor(DeploymentActorSettings settings)
    {
        _settings = settings;
        _logger = settings.Logger;
        _persistenceId = DeploymentReader.PersistenceId(settings.DeploymentId);
        _lease = settings.Lease;
        _fence = settings.Lease?.ToFencingToken();
        ReceiveAsync<RecoverDeployment>(_ => EnsureRecoveredAsync());
        ReceiveAsync<SubmitDeployment>(async m =>
        {
            await EnsureRecoveredAsync().ConfigureAwait(false);
            await SubmitAsync(m).ConfigureAwait(false);
        });
        ReceiveAsync<GetDeploymentView>(async _ =>
        {
            await EnsureRecoveredAsync().ConfigureAwait(false);
            Reply(null);
        });
        ReceiveAsync<DeploymentCommand>(async m =>
        {
            await EnsureRecoveredAsync().ConfigureAwait(false);
            await CommandAsync(m).ConfigureAwait(false);
        });
        ReceiveAsync<WaitUntilSettled>(async _ =>
        {
            await EnsureRecoveredAsync().ConfigureAwait(false);
            if (_state is null)
            {
                Sender.Tell(new DeploymentReply(null, NotFound: true));
            }
            else if (_state.Status.IsSettled())
            {
                Reply(null);
            }
            else
            {
                _waiters.Add(Sender);
            }
        });
        Receive<AttemptEnded>(ended =>
        {
            if (_tasks.TryGetValue(ended.Task, out var actor) && actor.Equals(Sender))
            {
                _tasks.Remove(ended.Task);
            }

            _results.Add(ended);
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                Self.Tell(Flush.Instance);
            }
        });
        ReceiveAsync<Flush>(_ =>
        {
            _flushScheduled = false;
            return PumpAsync();
        });
        ReceiveAsync<Wake>(_ => PumpAsync());
        ReceiveAsync<RenewLease>(_ => RenewAsync());
    }

    private EngineOptions Options => _settings.Options;

    private DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public static Props Props(DeploymentActorSettings settings) => Orchestra.Actors.Props.Create(() => new DeploymentActor(settings));

    protected override void PreStart()
    {
        Self.Tell(RecoverDeployment.Instance);
        if (_lease is not null)
        {
            Timers.StartPeriodicTimer("lease", RenewLease.Instance, Options.LeaseRenewInterval);
        }
    }

    protected override void PostStop()
    {
        _settings.OnStopped(_settings.DeploymentId, Self);
        if (_lease is { } lease && !_stopping)
        {
            // Graceful stop: let another owner take over at once (fire and forget; expiry covers a failure).
            _ = _settings.Persistence.Leases.ReleaseAsync(lease).AsTask();
        }
    }

    // Messages may be queued before the actor's first turn, so every request recovers first if needed.
    private async Task EnsureRecoveredAsync()
    {
        if (!_recovered)
        {
            _recovered = true;
            await RecoverAsync().ConfigureAwait(false);
        }
    }

    private async Task RecoverAsync()
    {
        var reader = new DeploymentReader(_settings.Persistence, _settings.Serializer);
        var loaded = await reader.LoadAsync(_settings.DeploymentId, CancellationToken.None).ConfigureAwait(false);
        _sequenceNr = await _settings.Persistence.Journal.ReadHighestSequenceNrAsync(_persistenceId).ConfigureAwait(false);
        if (loaded is not { } found)
        {
            return;
        }

        _state = found.State;
        _snapshotSequenceNr = found.SequenceNr;
        await foreach (var first in _settings.Persistence.Journal.ReadEventsAsync(_persistenceId, 1, 1, 1).ConfigureAwait(false))
        {
            _submitted = _settings.Serializer.Deserialize(first) as DeploymentSubmitted;
        }

        _submitted ??= new DeploymentSubmitted(_state.SubmittedAt, _state.DeploymentId, _state.Plan, _state.Options);
        LogRecovered(_settings.DeploymentId, _sequenceNr, _state.Status);
        Publish(new DeploymentNotification(_settings.DeploymentId, NotificationKind.Recovered, Now, _state.Status, Message: $"recovered at event {_sequenceNr}: {_state.StatusReason}", SequenceNr: _sequenceNr));
        var batch = new List<DeploymentEvent>();
        foreach (var e in _state.Recover(Now))
        {
            _state.Apply(e);
            batch.Add(e);
        }

        await PumpAsync(batch).ConfigureAwait(false);
    }

    private async Task SubmitAsync(SubmitDeployment submit)
    {
        if (_state is not null)
        {
            var same = JsonSerializer.Serialize(_state.Plan, EventSerializer.DefaultJsonOptions) == JsonSerializer.Serialize(submit.Plan, EventSerializer.DefaultJsonOptions);
            Reply(same ? null : $"deployment '{_settings.DeploymentId}' already exists with a different plan");
            return;
        }

        var submitted = new DeploymentSubmitted(Now, _settings.DeploymentId, submit.Plan, submit.Options);
        if (!await PersistAsync([submitted]).ConfigureAwait(false))
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException($"deployment '{_settings.DeploymentId}' could not be journaled")));
            return;
        }

        _submitted = submitted;
        _state = DeploymentState.Create(submitted);
        Publish(new DeploymentNotification(_settings.DeploymentId, NotificationKind.Submitted, submitted.At, _state.Status, Message: $"plan '{submit.Plan.Name}': {submit.Plan.OperationCount} operations", SequenceNr: _sequenceNr));
        var sender = Sender;
        await PumpAsync().ConfigureAwait(false);
        sender.Tell(new DeploymentReply(_state.ToView(_sequenceNr)));
    }

    private async Task CommandAsync(DeploymentCommand command)
    {
        if (_state is null)
        {
            Sender.Tell(new DeploymentReply(null, NotFound: true));
            return;
        }

        if (_state.Reject(command.Event) is { } why)
        {
            Reply(why);
            return;
        }

        var sender = Sender;
        _state.Apply(command.Event);

        // Running tasks are cancelled only once the cancel request is durable.
        await PumpAsync([command.Event]).ConfigureAwait(false);
        if (command.Event is DeploymentCancelRequested)
        {
            foreach (var task in _tasks.Values)
            {
                task.Tell(CancelAttempt.Instance);
            }
        }

        sender.Tell(new DeploymentReply(_state.ToView(_sequenceNr)));
    }

    private void Reply(string? rejection) =>
        Sender.Tell(_state is null ? new DeploymentReply(null, NotFound: true) : new DeploymentReply(_state.ToView(_sequenceNr), rejection));

    // Applies gathered results, decides, journals everything in one write, then acts (start tasks, notify, snapshot, wake waiters).
    private async Task PumpAsync(List<DeploymentEvent>? batch = null)
    {
        if (_state is null || _stopping)
        {
            return;
        }

        batch ??= [];
        var now = Now;
        foreach (var ended in _results)
        {
            if (_state.ResultEvent(ended.Task, ended.Attempt, ended.Result, now) is { } e)
            {
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
            var first = _sequenceNr + 1;
            if (!await PersistAsync(batch).ConfigureAwait(false))
            {
                return;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                var e = batch[i];
                if (e is TaskStarted started)
                {
                    Launch(started);
                }

                Publish(Notify(e, first + i));
            }

            if (_sequenceNr - _snapshotSequenceNr >= Options.SnapshotEveryEvents)
            {
                await SnapshotAsync().ConfigureAwait(false);
            }
        }

        if (wake is { } at)
        {
            Timers.StartSingleTimer("wake", Wake.Instance, at > now ? at - now : TimeSpan.Zero);
        }

        if (_state.Status.IsSettled() && _waiters.Count > 0)
        {
            var view = new DeploymentReply(_state.ToView(_sequenceNr));
            foreach (var waiter in _waiters)
            {
                waiter.Tell(view);
            }

            _waiters.Clear();
        }
    }

    private void Launch(TaskStarted started)
    {
        var task = new TaskRef(started.Node, started.Operation, started.Phase);
        var request = _state!.CreateRequest(started, Options.DefaultOperationTimeout);
        _tasks[task] = Context.ActorOf(TaskActor.Props(task, request, _settings.Executors, Options.TimeProvider, Self));
    }

    private async Task<bool> PersistAsync(IReadOnlyList<DeploymentEvent> events)
    {
        var appends = new EventToAppend[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            appends[i] = _settings.Serializer.ToAppend(_sequenceNr + 1 + i, events[i]);
        }

        try
        {
            var result = await _settings.Persistence.Journal.AppendAsync(new AtomicWrite(_persistenceId, appends, _fence)).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                _sequenceNr += events.Count;
                return true;
            }

            LogRejected(_settings.DeploymentId, result.ToString());
        }
#pragma warning disable CA1031 // An unknown outcome must stop the actor, whatever the exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPersistFailed(ex, _settings.DeploymentId);
        }

        // Rejected (another writer, a lost lease) or unknown: this incarnation's state can no longer be trusted.
        _stopping = true;
        Context.Stop(Self);
        return false;
    }

    private async Task SnapshotAsync()
    {
        try
        {
            var snapshot = _settings.Serializer.Serialize(_state!.ToSnapshot(submitted: null));
            await _settings.Persistence.Snapshots.SaveAsync(_persistenceId, _sequenceNr, snapshot.Manifest, snapshot.Payload).ConfigureAwait(false);
            _snapshotSequenceNr = _sequenceNr;
        }
#pragma warning disable CA1031 // A lost snapshot only makes recovery slower.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSnapshotFailed(ex, _settings.DeploymentId);
        }
    }

    private async Task RenewAsync()
    {
        if (_lease is null)
        {
            return;
        }

        Lease? renewed = null;
        try
        {
            renewed = await _settings.Persistence.Leases.RenewAsync(_lease, Options.LeaseTtl).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed renewal is retried at the next tick; the TTL leaves room for a few.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPersistFailed(ex, _settings.DeploymentId);
            return;
        }

        if (renewed is null)
        {
            LogLeaseLost(_settings.DeploymentId);
            _stopping = true;
            Context.Stop(Self);
            return;
        }

        _lease = renewed;
    }

    private DeploymentNotification Notify(DeploymentEvent e, long sequenceNr)
    {
        var state = _state!;
        var id = _settings.DeploymentId;
        return e switch
        {
            TaskStarted s => new(id, NotificationKind.TaskStarted, s.At, state.Status, s.Node, s.Operation, s.Phase, s.Attempt, state.NodeStatusOf(s.Node), s.Recovered ? "re-run after recovery" : null, sequenceNr),
            TaskSucceeded s => new(id, NotificationKind.TaskSucceeded, s.At, state.Status, s.Node, s.Operation, s.Phase, s.Attempt, state.NodeStatusOf(s.Node), null, sequenceNr),
            TaskAttemptFailed f => new(id, NotificationKind.TaskAttemptFailed, f.At, state.Status, f.Node, f.Operation, f.Phase, f.Attempt, state.NodeStatusOf(f.Node), $"{f.Error}; retry at {f.RetryAt:O}", sequenceNr),
            TaskFailed f => new(id, NotificationKind.TaskFailed, f.At, state.Status, f.Node, f.Operation, f.Phase, f.Attempt, state.NodeStatusOf(f.Node), f.Error, sequenceNr),
            TaskCancelled c => new(id, NotificationKind.TaskCancelled, c.At, state.Status, c.Node, c.Operation, c.Phase, c.Attempt, state.NodeStatusOf(c.Node), c.Reason, sequenceNr),
            _ => new(id, NotificationKind.StatusChanged, e.At, state.Status, Message: DeploymentHistory.Describe(sequenceNr, e).Message, SequenceNr: sequenceNr),
        };
    }

    private void Publish(DeploymentNotification notification) => Context.System.EventStream.Publish(notification);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} recovered at event {SequenceNr} ({Status})")]
    private partial void LogRecovered(string deploymentId, long sequenceNr, DeploymentStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: journal write rejected ({Verdict}); stopping")]
    private partial void LogRejected(string deploymentId, string verdict);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId}: journal or lease store failed; stopping to recover from the journal")]
    private partial void LogPersistFailed(Exception exception, string deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: snapshot failed (recovery will replay more events)")]
    private partial void LogSnapshotFailed(Exception exception, string deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: lease lost to another owner; stopping")]
    private partial void LogLeaseLost(string deploymentId);

}

/// <summary>First message of a deployment actor: load its state.</summary>
internal sealed record RecoverDeployment
{
    public static RecoverDeployment Instance { get; } = new();
}
