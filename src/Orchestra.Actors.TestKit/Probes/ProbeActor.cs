using System.Threading.Channels;

namespace Orchestra.Actors.TestKit;

/// <summary>The actor behind a <see cref="TestProbe"/>: queues everything it receives for the test to inspect.</summary>
internal sealed class ProbeActor(ChannelWriter<ReceivedMessage> writer) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ProbeWatch watch:
                Context.Watch(watch.Target);
                watch.Done.TrySetResult();
                break;
            case ProbeUnwatch unwatch:
                Context.Unwatch(unwatch.Target);
                unwatch.Done.TrySetResult();
                break;
            default:
                writer.TryWrite(new ReceivedMessage(message, Sender));
                break;
        }
    }

    protected override void PostStop() => writer.TryComplete();
}

/// <summary>A message received by a probe, with its sender.</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender (the dead-letter ref when none).</param>
public sealed record ReceivedMessage(object Message, IActorRef Sender);

internal sealed record ProbeWatch(IActorRef Target, TaskCompletionSource Done);

internal sealed record ProbeUnwatch(IActorRef Target, TaskCompletionSource Done);
