namespace Orchestra.Actors.Dispatch;

/// <summary>A queued user message: also the node of the mailbox's intrusive list (one allocation per message, nothing else).</summary>
internal sealed class Envelope(object message, IActorRef? sender)
{
    public object Message { get; set; } = message;

    public IActorRef? Sender { get; } = sender;

    public Envelope? Next { get; set; }
}
