using Akka.Actor;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>
/// Runs one attempt of one operation outside its mailbox (the executor's task is piped back), with the operation's timeout and a
/// cancellation token, then reports <see cref="AttemptEnded"/> to its parent, the <see cref="NodeActor"/>, and stops.
/// </summary>
/// <remarks>
/// A retry is a new <see cref="TaskActor"/>: every attempt needs its own durable <see cref="TaskStarted"/> first, which only the
/// coordinator can journal, so the coordinator's timer (on the injected <see cref="TimeProvider"/>) starts it when its backoff elapses.
/// Stopping the actor (or <see cref="CancelAttempt"/>) cancels the attempt: the executor kills its process tree.
/// </remarks>
internal sealed class TaskActor : ReceiveActor
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskRef _task;
    private readonly OperationRequest _request;
    private readonly ExecutorRegistry _executors;
    private readonly TimeProvider _time;
    private readonly IActorRef _reportTo;

    public TaskActor(TaskRef task, OperationRequest request, ExecutorRegistry executors, TimeProvider time, IActorRef reportTo)
    {
        _task = task;
        _request = request;
        _executors = executors;
        _time = time;
        _reportTo = reportTo;
        Receive<OperationResult>(result =>
        {
            _reportTo.Tell(new AttemptEnded(_task, _request.Attempt, result), Self);
            Context.Stop(Self);
        });
        Receive<CancelAttempt>(_ => _cancel.Cancel());
    }

    public static Props Props(TaskRef task, OperationRequest request, ExecutorRegistry executors, TimeProvider time, IActorRef reportTo) =>
        FactoryProps.Of(() => new TaskActor(task, request, executors, time, reportTo));

    protected override void PreStart() =>
        _executors.RunAsync(_request, _time, _cancel.Token).PipeTo(Self, failure: ex => OperationResult.Failed($"the executor failed: {ex.Message}"));

    // Not disposed: the executor may still observe the token while it winds down.
    protected override void PostStop() => _cancel.Cancel();
}

/// <summary>Tells a <see cref="TaskActor"/> to cancel its attempt (the result still arrives, as cancelled).</summary>
internal sealed record CancelAttempt
{
    public static CancelAttempt Instance { get; } = new();
}

/// <summary>An attempt ended: reported by a <see cref="TaskActor"/> to its <see cref="NodeActor"/>, which reports it to the coordinator.</summary>
/// <param name="Task">The task.</param>
/// <param name="Attempt">The attempt.</param>
/// <param name="Result">Its outcome.</param>
internal sealed record AttemptEnded(TaskRef Task, int Attempt, OperationResult Result);
