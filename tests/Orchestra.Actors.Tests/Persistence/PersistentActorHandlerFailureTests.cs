using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Persistence;

/// <summary>A command handler that throws after persisting, under a supervisor that resumes the actor.</summary>
[Trait("Category", "Unit")]
public sealed class PersistentActorHandlerFailureTests : ActorTestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly InMemoryPersistence _stores = new();

    private sealed record Scribble(string Text, bool ThrowAfterPersist, bool Async = false);

    private sealed class Scribe : PersistentActor
    {
        private readonly List<string> _lines = [];

        public Scribe()
            : base(Stores!.Journal, Stores.Snapshots, LedgerSerializer.Instance)
        {
            Recover<Noted>(e => _lines.Add(e.Text));
            Receive<Scribble>(s => !s.Async, s =>
            {
                Persist(new Noted(s.Text), e => _lines.Add(e.Text));
                if (s.ThrowAfterPersist)
                {
                    throw new InvalidOperationException("boom after persist");
                }
            });
            ReceiveAsync<Scribble>(
                async s =>
                {
                    Persist(new Noted(s.Text), e => _lines.Add(e.Text));
                    await Task.Yield();
                    if (s.ThrowAfterPersist)
                    {
                        throw new InvalidOperationException("boom after persist, async");
                    }
                },
                s => s.Async);
            Receive<GetLines>(_ => Sender.Tell(new LedgerView([.. _lines], LastSequenceNr)));
        }

        // The actor system builds actors from a factory; the stores are handed over through this slot for the test's duration.
        public static InMemoryPersistence? Stores { get; set; }

        public override string PersistenceId => "scribe-1";
    }

    private sealed class Resuming : ReceiveActor
    {
        public Resuming()
        {
            var child = Context.ActorOf(Props.Create(() => new Scribe()), "scribe");
            Receive<object>(m => child.Tell(m, Sender));
        }

        protected override SupervisorStrategy CreateSupervisorStrategy() => new OneForOneStrategy(_ => Directive.Resume);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EventsOfACommandThatThrew_AreNeverWrittenWithTheNextCommand(bool async)
    {
        Scribe.Stores = _stores;
        var parent = Sys.ActorOf(Props.Create(() => new Resuming()));

        parent.Tell(new Scribble("lost", ThrowAfterPersist: true, async));
        parent.Tell(new Scribble("kept", ThrowAfterPersist: false, async));
        var view = await parent.Ask<LedgerView>(new GetLines(), Timeout);

        Assert.Equal(["kept"], view.Lines);
        Assert.Equal(1, view.LastSequenceNr);
        var stored = await _stores.Journal.ReadEventsAsync("scribe-1").ToListAsync();
        Assert.Equal([1L], stored.Select(e => e.SequenceNr));
        Assert.Equal("kept", ((Noted)LedgerSerializer.Instance.Deserialize(stored[0])).Text);
    }
}
