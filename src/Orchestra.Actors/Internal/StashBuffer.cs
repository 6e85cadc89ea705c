using Orchestra.Actors.Dispatch;

namespace Orchestra.Actors.Internal;

/// <summary>The stash of one actor: envelopes put aside, put back at the front of the mailbox on demand.</summary>
internal sealed class StashBuffer(ActorCell cell) : IStash
{
    private readonly List<Envelope> _items = [];

    public int Count => _items.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelope ?? throw new InvalidOperationException("There is no current message to stash.");
        if (_items.Count > 0 && ReferenceEquals(_items[^1], current))
        {
            throw new InvalidOperationException($"The message {current.Message.GetType().Name} is already stashed.");
        }

        _items.Add(current);
    }

    public void Unstash()
    {
        if (_items.Count == 0)
        {
            return;
        }

        var first = _items[0];
        _items.RemoveAt(0);
        cell.Prepend(first);
    }

    public void UnstashAll()
    {
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            cell.Prepend(_items[i]);
        }

        _items.Clear();
    }

    public void UnstashAllForRestart() => UnstashAll();

    public void DeadLetterAll()
    {
        foreach (var envelope in _items)
        {
            cell.System.DeadLetterOffice.Publish(envelope.Message, envelope.Sender, cell.Self);
        }

        _items.Clear();
    }
}
