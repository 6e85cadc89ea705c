using BenchmarkDotNet.Attributes;
using Orchestra.Actors;

namespace Orchestra.Benchmarks.Actors;

/// <summary>Ask round-trip latency, spawn+stop cost, and the memory an idle actor keeps.</summary>
[MemoryDiagnoser]
public class ActorLifecycleBenchmarks
{
    private const int Asks = 1_000;
    private const int Spawns = 1_000;
    private const int IdleActors = 100_000;

    private ActorSystem _system = null!;
    private IActorRef _responder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _responder = _system.ActorOf(Props.Create(() => new Responder()));
    }

    [GlobalCleanup]
    public void Cleanup() => _system.TerminateAsync().GetAwaiter().GetResult();

    /// <summary>Sequential asks: one round trip (temp ref, tell, reply, completion) per operation.</summary>
    [Benchmark(OperationsPerInvoke = Asks)]
    public async Task Actor_AskRoundTrip()
    {
        for (var i = 0; i < Asks; i++)
        {
            await _responder.Ask<object>(i, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    /// <summary>Spawns actors and stops them, waiting until every one ran PostStop.</summary>
    [Benchmark(OperationsPerInvoke = Spawns)]
    public async Task Actor_SpawnAndStop()
    {
        var stopped = new Countdown(Spawns);
        var refs = new IActorRef[Spawns];
        for (var i = 0; i < Spawns; i++)
        {
            refs[i] = _system.ActorOf(Props.Create(() => new Stoppable(stopped)));
        }

        foreach (var actor in refs)
        {
            _system.Stop(actor);
        }

        await stopped.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Retained memory of idle, started actors: spawns <see cref="IdleActors"/>, waits until all ran PreStart, and
    /// measures the live heap before and after (printed as <c>IdleActorBytes</c>). The <c>Allocated</c> column is
    /// what one spawn allocates in total (retained plus transient).
    /// </summary>
    /// <returns>The retained bytes per idle actor.</returns>
    [Benchmark(OperationsPerInvoke = IdleActors)]
    public async Task<double> Actor_IdleFootprint()
    {
        await using var system = ActorSystem.Create("idle");
        var started = new Countdown(IdleActors);
        var props = Props.Create(() => new Idle(started));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < IdleActors; i++)
        {
            system.ActorOf(props);
        }

        await started.Task.ConfigureAwait(false);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perActor = (after - before) / (double)IdleActors;
        Console.WriteLine($"// IdleActorBytes: {perActor:F0} bytes per idle actor ({IdleActors} actors)");
        GC.KeepAlive(system);
        return perActor;
    }

    private sealed class Countdown(int count)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = count;

        public Task Task => _done.Task;

        public void Signal()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }
    }

    private sealed class Responder : ReceiveActor
    {
        public Responder() => ReceiveAny(message => Sender.Tell(message));
    }

    private sealed class Stoppable : ReceiveActor
    {
        private readonly Countdown _stopped;

        public Stoppable(Countdown stopped)
        {
            _stopped = stopped;
            ReceiveAny(_ => { });
        }

        protected override void PostStop() => _stopped.Signal();
    }

    private sealed class Idle : ReceiveActor
    {
        private readonly Countdown _started;

        public Idle(Countdown started)
        {
            _started = started;
            ReceiveAny(_ => { });
        }

        protected override void PreStart() => _started.Signal();
    }
}
