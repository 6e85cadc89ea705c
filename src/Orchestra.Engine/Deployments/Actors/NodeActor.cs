using Microsoft.Extensions.Logging;
using Akka.Actor;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>
/// Runs one node's lifecycle for its coordinator: one operation after another, each in a <see cref="TaskActor"/> child, and reports
/// every attempt's end to the coordinator.
/// </summary>
/// <remarks>
/// <para>The coordinator decides <em>what</em> runs (gating, the concurrency bound, retries, failure actions) and journals every
/// <see cref="TaskStarted"/> before it sends <see cref="RunOperation"/>; the node actor decides <em>how</em>: it never lets two of its
/// node's operations run at once (a second request waits for the first to end, in order), it cancels the running attempt on
/// <see cref="CancelAttempt"/>, and stopping it stops (and so cancels) its attempt.</para>
/// <para>It lives while its deployment is active; the coordinator stops it when the deployment settles and starts it again if the
/// node has more to do (undeploy, retry).</para>
/// </remarks>
internal sealed partial class NodeActor : ReceiveActor
{
    private readonly string _node;
    private readonly ExecutorRegistry _executors;
    private readonly TimeProvider _time;
    private readonly IActorRef _coordinator;
    private readonly ILogger _logger;
    private readonly Queue<RunOperation> _waiting = new();
    private (RunOperation Run, IActorRef Actor)? _current;

    public NodeActor(string node, ExecutorRegistry executors, TimeProvider time, IActorRef coordinator, ILogger logger)
    {
        _node = node;
        _executors = executors;
        _time = time;
        _coordinator = coordinator;
        _logger = logger;
        Receive<RunOperation>(run =>
        {
            if (_current is { } current)
            {
                LogQueued(_node, run.Task.Operation, current.Run.Task.Operation);
                _waiting.Enqueue(run);
                return;
            }

            Start(run);
        });
        Receive<AttemptEnded>(ended =>
        {
            if (_current is not { } current || !current.Actor.Equals(Sender))
            {
                return;
            }

            _current = null;
            _coordinator.Tell(ended, Self);
            if (_waiting.TryDequeue(out var next))
            {
                Start(next);
            }
        });
        Receive<CancelAttempt>(cancel =>
        {
            _waiting.Clear();
            _current?.Actor.Tell(cancel);
        });
    }

    public static Props Props(string node, ExecutorRegistry executors, TimeProvider time, IActorRef coordinator, ILogger logger) =>
        FactoryProps.Of(() => new NodeActor(node, executors, time, coordinator, logger));

    // A task actor that fails (it never should) fails this one, and so the deployment actor: a restart would run the attempt again.
    protected override SupervisorStrategy SupervisorStrategy() => EscalatingStrategy.Instance;

    private void Start(RunOperation run) =>
        _current = (run, Context.ActorOf(TaskActor.Props(run.Task, run.Request, _executors, _time, Self)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: operation {Operation} asked to start while {Running} runs; it waits its turn")]
    private partial void LogQueued(string node, string operation, string running);
}

/// <summary>Tells a <see cref="NodeActor"/> to run one attempt of one of its node's operations (its <see cref="TaskStarted"/> is durable).</summary>
/// <param name="Task">The operation.</param>
/// <param name="Request">What the executor needs.</param>
internal sealed record RunOperation(TaskRef Task, OperationRequest Request);
