using System.Collections.Concurrent;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>What a script prints reaches the attempt's result (bounded) and a live listener, whatever the outcome.</summary>
[Trait("Category", "Integration")]
public sealed class ProcessExecutorOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private OperationRequest Request(string body, TimeSpan? timeout = null)
    {
        File.WriteAllText(Path.Combine(_dir, "op.sh"), body.ReplaceLineEndings("\n"));
        return new("dep-1", "web", "Standard.create", TaskPhase.Deploy, "op.sh", new Dictionary<string, string>(), 1, "key", _dir, timeout ?? TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Execute_FailingScript_ResultCarriesBothTails_BoundedByLines()
    {
        var options = new EngineOptions { OutputTailLines = 3 };
        var request = Request("""
            for i in $(seq 1 10); do echo "out $i"; done
            echo "err 1" >&2
            echo "err 2" >&2
            exit 4
            """);

        var result = await new ExecutorRegistry(options).RunAsync(request, TimeProvider.System, CancellationToken.None);

        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Equal("out 8\nout 9\nout 10", result.Stdout!.Text);
        Assert.True(result.Stdout.Truncated);
        Assert.Equal("err 1\nerr 2", result.Stderr!.Text);
        Assert.False(result.Stderr.Truncated);
    }

    [Fact]
    public async Task Execute_SilentScript_HasNoTails()
    {
        var result = await new ExecutorRegistry(new EngineOptions()).RunAsync(Request("true"), TimeProvider.System, CancellationToken.None);

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Null(result.Stdout);
        Assert.Null(result.Stderr);
    }

    [Fact]
    public async Task Execute_TimedOutScript_KeepsWhatItPrintedBeforeTheKill()
    {
        var options = new EngineOptions { KillGracePeriod = TimeSpan.FromMilliseconds(200) };
        var result = await new ExecutorRegistry(options).RunAsync(
            Request("echo before; exec sleep 30", TimeSpan.FromMilliseconds(500)), TimeProvider.System, CancellationToken.None);

        Assert.Equal(OperationOutcome.TimedOut, result.Outcome);
        Assert.Equal("before", result.Stdout!.Text);
    }

    [Fact]
    public async Task Execute_WithAListener_GetsEachLineWhileTheScriptStillRuns()
    {
        var lines = new ConcurrentQueue<(OutputStream, string)>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var flag = Path.Combine(_dir, "go");
        var request = Request($$"""
            echo "first"
            echo "warn" >&2
            while [ ! -e "{{flag}}" ]; do sleep 0.05; done
            echo "second"
            """) with
        {
            OnOutputLine = (stream, line) =>
            {
                lines.Enqueue((stream, line));
                if (line == "first")
                {
                    first.TrySetResult();
                }
            },
        };

        var running = new ExecutorRegistry(new EngineOptions()).RunAsync(request, TimeProvider.System, CancellationToken.None);
        await first.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(running.IsCompleted);
        await File.WriteAllTextAsync(flag, "");
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Equal([(OutputStream.Stdout, "first"), (OutputStream.Stdout, "second")], lines.Where(l => l.Item1 == OutputStream.Stdout));
        Assert.Contains((OutputStream.Stderr, "warn"), lines);
    }
}
