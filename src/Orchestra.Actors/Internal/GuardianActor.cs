namespace Orchestra.Actors.Internal;

/// <summary>The actor of the root and of the <c>/user</c> and <c>/system</c> guardians: it only supervises.</summary>
internal sealed class GuardianActor : UntypedActor
{
    protected override void OnReceive(object message) => Unhandled(message);
}
