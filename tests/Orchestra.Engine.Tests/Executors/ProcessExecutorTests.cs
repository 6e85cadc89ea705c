using System.Diagnostics;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Tests.Executors;

[Trait("Category", "Integration")]
[Collection(AllocationMeasurements.Name)]
public sealed class ProcessExecutorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-exec-").FullName;
    private readonly EngineOptions _options = new() { KillGracePeriod = TimeSpan.FromMilliseconds(500) };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, body.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return name;
    }

    private OperationRequest Request(string implementation, Dictionary<string, string>? inputs = null, TimeSpan? timeout = null, int attempt = 1) =>
        new("dep-1", "web", "Standard.create", TaskPhase.Deploy, implementation, inputs ?? [], attempt, "dep-1/web/Standard.create/deploy", _dir, timeout ?? TimeSpan.FromSeconds(30));

    private Task<OperationResult> Run(OperationRequest request, CancellationToken cancellationToken = default) =>
        new ExecutorRegistry(_options).RunAsync(request, TimeProvider.System, cancellationToken);

    [Fact]
    public async Task Shell_GetsInputsAndContextInItsEnvironment_AndReportsOutputs()
    {
        Script("create.sh", """
            echo "url=$URL" >> "$ORCHESTRA_OUTPUTS"
            echo "ctx=$ORCHESTRA_DEPLOYMENT|$ORCHESTRA_NODE|$ORCHESTRA_OPERATION|$ORCHESTRA_ATTEMPT|$ORCHESTRA_IDEMPOTENCY_KEY" >> "$ORCHESTRA_OUTPUTS"
            echo "dir=$(pwd)" >> "$ORCHESTRA_OUTPUTS"
            echo "spaces = a = b" >> "$ORCHESTRA_OUTPUTS"
            """);
        var result = await Run(Request("create.sh", new() { ["URL"] = "http://x/$(rm -rf /);'\"" }, attempt: 3));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Equal("http://x/$(rm -rf /);'\"", result.Outputs["url"]);
        Assert.Equal("dep-1|web|Standard.create|3|dep-1/web/Standard.create/deploy", result.Outputs["ctx"]);
        Assert.Equal(_dir, result.Outputs["dir"]);
        Assert.Equal(" a = b", result.Outputs["spaces"]);
    }

    [Fact]
    public async Task Python_RunsWithPython3()
    {
        Script("create.py", """
            import os
            with open(os.environ["ORCHESTRA_OUTPUTS"], "a") as f:
                f.write("answer=%d\n" % (int(os.environ["N"]) * 2))
            """);
        var result = await Run(Request("create.py", new() { ["N"] = "21" }));
        Assert.Equal("42", result.Outputs["answer"]);
    }

    [Fact]
    public async Task OtherFile_IsExecutedDirectly()
    {
        Script("tool", "#!/bin/sh\necho \"k=direct\" >> \"$ORCHESTRA_OUTPUTS\"\n");
        var result = await Run(Request("tool"));
        Assert.Equal("direct", result.Outputs["k"]);
    }

    [Fact]
    public async Task NonZeroExit_FailsWithExitCodeAndTheEndOfStderr()
    {
        Script("fail.sh", """
            for i in $(seq 1 5000); do echo "noise line $i" >&2; done
            echo "the real reason" >&2
            exit 7
            """);
        var result = await Run(Request("fail.sh"));
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Equal(7, result.ExitCode);
        Assert.StartsWith("exit code 7: ...", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("the real reason", result.Error, StringComparison.Ordinal);
        Assert.True(result.Error!.Length < 2100, $"error is {result.Error.Length} chars");
    }

    [Fact]
    public async Task Timeout_KillsTheWholeProcessTree()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        Script("hang.sh", $"""
            sleep 1000 &
            echo $! > "{pidFile}"
            sleep 1000
            """);
        var watch = Stopwatch.StartNew();
        var result = await Run(Request("hang.sh", timeout: TimeSpan.FromSeconds(1)));

        Assert.Equal(OperationOutcome.TimedOut, result.Outcome);
        Assert.Contains("timed out", result.Error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await AssertProcessGoneAsync(child);
    }

    [Fact]
    public async Task Cancellation_KillsTheProcessTreeAndReportsCancelled()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var started = Path.Combine(_dir, "started");
        Script("hang.sh", $"""
            bash -c 'trap "" TERM; sleep 1000' &
            echo $! > "{pidFile}"
            touch "{started}"
            wait
            """);
        using var cts = new CancellationTokenSource();
        var run = Run(Request("hang.sh"), cts.Token);
        await WaitForFileAsync(started);
        cts.Cancel();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(OperationOutcome.Cancelled, result.Outcome);
        await AssertProcessGoneAsync(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task StdoutFlood_IsDrainedWithBoundedMemory()
    {
        Script("flood.sh", """
            head -c 200000000 /dev/zero | tr '\0' 'x'
            head -c 50000000 /dev/zero | tr '\0' 'y' >&2
            echo "done=yes" >> "$ORCHESTRA_OUTPUTS"
            """);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await Run(Request("flood.sh")).WaitAsync(TimeSpan.FromSeconds(60));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Equal("yes", result.Outputs["done"]);
        Assert.True(allocated < 50_000_000, $"allocated {allocated} bytes for 250 MB of output");
    }

    [Fact]
    public async Task GarbageOutputs_AreIgnoredWithWarnings()
    {
        Script("garbage.sh", """
            printf 'good=1\nno equals sign here\n=novalue\n\x01\x02binary=\n# comment\n\nbad key=2\nlast=ok\r\n' >> "$ORCHESTRA_OUTPUTS"
            """);
        var result = await Run(Request("garbage.sh"));
        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Equal(new Dictionary<string, string> { ["good"] = "1", ["last"] = "ok" }, result.Outputs);
        Assert.Equal(4, result.Warnings!.Count);
        Assert.All(result.Warnings, w => Assert.StartsWith("ORCHESTRA_OUTPUTS line", w, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OversizedOutputs_FailTheAttempt()
    {
        _options.MaxOutputsFileBytes = 1000;
        Script("big.sh", """for i in $(seq 1 200); do echo "k$i=0123456789" >> "$ORCHESTRA_OUTPUTS"; done""");
        var result = await Run(Request("big.sh"));
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("over the limit of 1000 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_FailsNamingThePath()
    {
        var result = await Run(Request("scripts/nope.sh"));
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Equal($"implementation file not found: {Path.Combine(_dir, "scripts", "nope.sh")}", result.Error);
    }

    [Fact]
    public async Task NotExecutable_FailsWithAClearError()
    {
        File.WriteAllText(Path.Combine(_dir, "data.bin"), "not a program");
        var result = await Run(Request("data.bin"));
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("data.bin", result.Error, StringComparison.Ordinal);
    }

    private static async Task AssertProcessGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (File.Exists($"/proc/{pid}/stat"))
        {
            // A killed child that is not reaped yet is a zombie ('Z'): it no longer runs.
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat").ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : string.Empty, TaskScheduler.Default);
            if (stat.Length == 0 || stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"process {pid} still runs");
            await Task.Delay(50);
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} never appeared");
            await Task.Delay(20);
        }
    }
}
