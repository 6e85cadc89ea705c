using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Dispatch;

/// <summary>
/// The runtime side of one actor: its mailbox (two lock-free queues), its lifecycle, children, watches,
/// timers and stash. One object per actor, most parts allocated on first use so an idle actor stays small.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? _running;

    [ThreadStatic]
    private static ActorCell? _constructing;

    private readonly ActorSystem _system;
    private readonly LocalActorRef _self;
    private readonly Props _props;
    private readonly ActorCell? _parent;
    private ActorBase? _actor;
    private SupervisorStrategy? _strategy;
    private CellState _state;
    private bool _suspended;
    private Envelope? _current;
    private Exception? _restartCause;
    private TimerScheduler? _timers;
    private StashBuffer? _stash;

    public ActorCell(ActorSystem system, LocalActorRef self, Props props, ActorCell? parent)
    {
        _system = system;
        _self = self;
        _props = props;
        _parent = parent;
    }

    private enum CellState : byte
    {
        Created,
        Running,
        Restarting,
        Terminating,
        Terminated,
    }

    /// <summary>Gets the cell processing a message on this thread, if any (the implicit sender).</summary>
    public static ActorCell? Current => _running;

    /// <summary>Gets or sets the cell whose actor instance is being constructed on this thread.</summary>
    public static ActorCell? Constructing
    {
        get => _constructing;
        set => _constructing = value;
    }

    public IActorRef Self => _self;

    public LocalActorRef SelfRef => _self;

    public IActorRef Sender => _current?.Sender ?? _system.DeadLetters;

    public IActorRef? CurrentSender => _current?.Sender;

    public Envelope? CurrentEnvelope => _current;

    public IActorRef Parent => _parent?._self ?? _system.DeadLetters;

    public ActorCell? ParentCell => _parent;

    public ActorSystem System => _system;

    public ActorPath Path => _self.Path;

    public bool IsTerminated => _terminated;

    /// <summary>Gets the restart history of this actor, kept for (and only touched by) its parent.</summary>
    public RestartStatistics RestartStatistics => _restartStatistics ??= new RestartStatistics();

    public ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    public IStash Stash => _stash ??= new StashBuffer(this);

    /// <summary>Gets or sets whether this actor subscribed to the event stream (so it is unsubscribed when it stops).</summary>
    public bool SubscribedToEvents { get; set; }

    private RestartStatistics? _restartStatistics;

    private bool CanProcessUserMessages => _state == CellState.Running && !_suspended && !_awaiting && _actor is not null;

    private void NewActor()
    {
        _constructing = this;
        try
        {
            var actor = _props.Factory() ?? throw new InvalidOperationException($"The props of {Path} returned no actor.");
            if (!ReferenceEquals(actor.Cell, this))
            {
                throw new InvalidOperationException($"The props of {Path} must create a new actor instance each time.");
            }

            _actor = actor;
            _strategy = null;
        }
        finally
        {
            _constructing = null;
        }
    }
}
