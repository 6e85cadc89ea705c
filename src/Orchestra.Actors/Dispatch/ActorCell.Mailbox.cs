using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Dispatch;

/// <content>
/// The mailbox. Producers push onto lock-free stacks (one CAS each); the single consumer takes a whole stack at
/// once and reverses it into a private FIFO. Posting flips the scheduled flag with one CAS and only the winner
/// queues the cell (an <see cref="IThreadPoolWorkItem"/>) on the thread pool. A turn processes system messages
/// first, then at most <see cref="ActorSystemOptions.Throughput"/> user messages, then yields and re-checks.
/// </content>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private Envelope? _inbox;
    private Envelope? _queue;
    private SystemMessage? _systemInbox;
    private int _scheduled;
    private volatile bool _terminated;

    public void Post(object message, IActorRef? sender)
    {
        if (_terminated)
        {
            _system.DeadLetterOffice.Publish(message, sender, _self);
            return;
        }

        var envelope = new Envelope(message, sender);
        var head = Volatile.Read(ref _inbox);
        while (true)
        {
            envelope.Next = head;
            var observed = Interlocked.CompareExchange(ref _inbox, envelope, head);
            if (ReferenceEquals(observed, head))
            {
                break;
            }

            head = observed;
        }

        // The termination drains the inbox after raising the flag; a push that raced with it drains itself
        // (only the shared stack: the consumer's private queue is the terminating turn's to drain).
        if (_terminated)
        {
            DeadLetterAll(Reverse(Interlocked.Exchange(ref _inbox, null)));
            return;
        }

        Schedule();
    }

    public void PostSystem(SystemMessage message)
    {
        var head = Volatile.Read(ref _systemInbox);
        while (true)
        {
            message.Next = head;
            var observed = Interlocked.CompareExchange(ref _systemInbox, message, head);
            if (ReferenceEquals(observed, head))
            {
                break;
            }

            head = observed;
        }

        if (_terminated)
        {
            DrainLateSystemMessages();
            return;
        }

        Schedule();
    }

    /// <summary>Puts an envelope back at the front of the mailbox (unstash). Actor thread only.</summary>
    public void Prepend(Envelope envelope)
    {
        envelope.Next = _queue;
        _queue = envelope;
    }

    public void Execute()
    {
        var previous = _running;
        _running = this;
        try
        {
            RunTurn();
        }
        catch (Exception ex)
        {
            Log.MailboxFault(_system.Logger, Path.ToString(), ex);
        }
        finally
        {
            _running = previous;
            Interlocked.Exchange(ref _scheduled, 0);
            if (HasWork())
            {
                Schedule();
            }
        }
    }

    private void Schedule()
    {
        if (Volatile.Read(ref _scheduled) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private void RunTurn()
    {
        if (_awaiting)
        {
            // System messages wait too: nothing may touch the actor while its async handler runs.
            if (!_awaitDone)
            {
                return;
            }

            CompleteAwait();
        }

        ProcessSystemMessages();
        var budget = _system.Throughput;
        while (CanProcessUserMessages)
        {
            if (Volatile.Read(ref _systemInbox) is not null)
            {
                ProcessSystemMessages();
                continue;
            }

            if (budget-- == 0)
            {
                break;
            }

            var envelope = Dequeue();
            if (envelope is null)
            {
                break;
            }

            Invoke(envelope);
        }
    }

    private bool HasWork()
    {
        if (_awaiting)
        {
            return _awaitDone;
        }

        if (Volatile.Read(ref _systemInbox) is not null)
        {
            return true;
        }

        return CanProcessUserMessages && (_queue is not null || Volatile.Read(ref _inbox) is not null);
    }

    private Envelope? Dequeue()
    {
        var envelope = _queue;
        if (envelope is null)
        {
            if (Volatile.Read(ref _inbox) is null)
            {
                return null;
            }

            envelope = Reverse(Interlocked.Exchange(ref _inbox, null));
            if (envelope is null)
            {
                return null;
            }
        }

        _queue = envelope.Next;
        envelope.Next = null;
        return envelope;
    }

    private void ProcessSystemMessages()
    {
        if (Volatile.Read(ref _systemInbox) is null)
        {
            return;
        }

        var message = ReverseSystem(Interlocked.Exchange(ref _systemInbox, null));
        while (message is not null)
        {
            var next = message.Next;
            message.Next = null;
            HandleSystemMessage(message);
            message = next;
        }
    }

    private void DrainInboxToDeadLetters()
    {
        var envelope = _queue;
        _queue = null;
        DeadLetterAll(envelope);
        DeadLetterAll(Reverse(Interlocked.Exchange(ref _inbox, null)));
    }

    private void DeadLetterAll(Envelope? envelope)
    {
        while (envelope is not null)
        {
            if (envelope.Message is not IInternalMessage)
            {
                _system.DeadLetterOffice.Publish(envelope.Message, envelope.Sender, _self);
            }

            envelope = envelope.Next;
        }
    }

    private void DrainLateSystemMessages()
    {
        var message = ReverseSystem(Interlocked.Exchange(ref _systemInbox, null));
        while (message is not null)
        {
            if (message is Watch watch && ReferenceEquals(watch.Watchee, _self))
            {
                watch.Watcher.SendSystemMessage(new DeathWatchNotification(_self));
            }

            message = message.Next;
        }
    }

    private static Envelope? Reverse(Envelope? head)
    {
        Envelope? reversed = null;
        while (head is not null)
        {
            var next = head.Next;
            head.Next = reversed;
            reversed = head;
            head = next;
        }

        return reversed;
    }

    private static SystemMessage? ReverseSystem(SystemMessage? head)
    {
        SystemMessage? reversed = null;
        while (head is not null)
        {
            var next = head.Next;
            head.Next = reversed;
            reversed = head;
            head = next;
        }

        return reversed;
    }
}
