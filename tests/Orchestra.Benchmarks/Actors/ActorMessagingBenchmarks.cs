using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Orchestra.Actors;

namespace Orchestra.Benchmarks.Actors;

/// <summary>Tell throughput between actors, against a raw <see cref="Channel{T}"/> with the same message count (the ceiling).</summary>
[MemoryDiagnoser]
public class ActorMessagingBenchmarks
{
    private const int Messages = 100_000;
    private static readonly object Ball = new();

    private ActorSystem _system = null!;

    [GlobalSetup]
    public void Setup() => _system = ActorSystem.Create("bench");

    [GlobalCleanup]
    public void Cleanup() => _system.TerminateAsync().GetAwaiter().GetResult();

    /// <summary>Two actors bounce one message <see cref="Messages"/> times (every hop wakes an idle actor).</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Actor_PingPong()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var echo = _system.ActorOf(Props.Create(() => new Echo()));
        var pinger = _system.ActorOf(Props.Create(() => new Pinger(Messages, done)));
        pinger.Tell(Ball, echo);
        await done.Task.ConfigureAwait(false);
        _system.Stop(pinger);
        _system.Stop(echo);
    }

    /// <summary>The same bounce between two tasks over two unbounded channels.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task Channel_PingPong()
    {
        var ping = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pong = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var echo = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i++)
            {
                var message = await ping.Reader.ReadAsync().ConfigureAwait(false);
                pong.Writer.TryWrite(message);
            }
        });
        for (var i = 0; i < Messages; i++)
        {
            ping.Writer.TryWrite(Ball);
            await pong.Reader.ReadAsync().ConfigureAwait(false);
        }

        await echo.ConfigureAwait(false);
    }

    /// <summary>One thread tells <see cref="Messages"/> messages to one actor as fast as it can.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Actor_OneWayBurst()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counter = _system.ActorOf(Props.Create(() => new Counter(Messages, done)));
        for (var i = 0; i < Messages; i++)
        {
            counter.Tell(Ball);
        }

        await done.Task.ConfigureAwait(false);
        _system.Stop(counter);
    }

    /// <summary>The same burst through one unbounded channel to one reading task.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Channel_OneWayBurst()
    {
        var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i++)
            {
                await channel.Reader.ReadAsync().ConfigureAwait(false);
            }
        });
        for (var i = 0; i < Messages; i++)
        {
            channel.Writer.TryWrite(Ball);
        }

        await reader.ConfigureAwait(false);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }

    private sealed class Pinger : ReceiveActor
    {
        private int _count;

        public Pinger(int total, TaskCompletionSource done) => ReceiveAny(message =>
        {
            if (++_count == total)
            {
                done.TrySetResult();
            }
            else
            {
                Sender.Tell(message);
            }
        });
    }

    private sealed class Counter : ReceiveActor
    {
        private int _count;

        public Counter(int total, TaskCompletionSource done) => ReceiveAny(_ =>
        {
            if (++_count == total)
            {
                done.TrySetResult();
            }
        });
    }
}
