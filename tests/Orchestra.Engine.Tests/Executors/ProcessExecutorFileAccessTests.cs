using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Files;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>The run-time half of the file-access policy: an implementation is checked again, links resolved, right before it runs.</summary>
[Trait("Category", "Integration")]
[Collection(AllocationMeasurements.Name)]
public sealed class ProcessExecutorFileAccessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orchestra-exec-files-").FullName;

    public ProcessExecutorFileAccessTests()
    {
        Allowed = Directory.CreateDirectory(Path.Combine(_root, "allowed")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(Allowed, "real"));
        foreach (var dir in new[] { Path.Combine(Allowed, "real"), Outside })
        {
            // Each writes where it ran from, so a test sees which file ran; the one outside also leaves a mark.
            File.WriteAllText(Path.Combine(dir, "run.sh"), "echo \"ran=$0\" >> \"$ORCHESTRA_OUTPUTS\"\ntouch \"$(dirname \"$0\")/ran.mark\"\n");
        }
    }

    private string Allowed { get; }

    private string Outside { get; }

    private string Link => Path.Combine(Allowed, "scripts");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<OperationResult> RunAsync(FileAccessPolicy files, string implementation = "scripts/run.sh", string? directory = null)
    {
        var options = new EngineOptions { FileAccess = files };
        var request = new OperationRequest("dep-1", "web", "Standard.create", TaskPhase.Deploy, implementation, new Dictionary<string, string>(), 1,
            "dep-1/web/Standard.create/deploy", directory ?? Allowed, TimeSpan.FromSeconds(30));
        return new ExecutorRegistry(options).RunAsync(request, TimeProvider.System, CancellationToken.None);
    }

    [Fact]
    public async Task Run_LinkSwappedToOutsideAfterCompilation_IsRefused_AndRunsNothing()
    {
        Directory.CreateSymbolicLink(Link, Path.Combine(Allowed, "real"));
        Assert.True(FileAccessPolicy.Within([Allowed]).Allows(Path.Combine(Link, "run.sh")));
        Directory.Delete(Link);
        Directory.CreateSymbolicLink(Link, Outside);

        var result = await RunAsync(FileAccessPolicy.Within([Allowed]));

        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("leads outside", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Outside, "ran.mark")));
    }

    [Fact]
    public async Task Run_Unrestricted_FollowsTheSameLinkOutside()
    {
        Directory.CreateSymbolicLink(Link, Outside);

        var result = await RunAsync(FileAccessPolicy.Unrestricted);

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.True(File.Exists(Path.Combine(Outside, "ran.mark")));
    }

    [Fact]
    public async Task Run_ThroughALinkInside_RunsTheResolvedFile()
    {
        Directory.CreateSymbolicLink(Link, Path.Combine(Allowed, "real"));

        var result = await RunAsync(FileAccessPolicy.Within([Allowed]));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Equal(Path.Combine(Allowed, "real", "run.sh"), result.Outputs["ran"]);
    }

    [Fact]
    public async Task Run_AbsoluteImplementationOutside_IsRefused_AndRunsNothing()
    {
        var result = await RunAsync(FileAccessPolicy.Within([Allowed]), Path.Combine(Outside, "run.sh"));

        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.False(File.Exists(Path.Combine(Outside, "ran.mark")));
    }

    [Fact]
    public async Task Run_WorkingDirectoryOutside_IsRefused()
    {
        var result = await RunAsync(FileAccessPolicy.Within([Allowed]), "run.sh", Outside);

        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("working directory", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Outside, "ran.mark")));
    }

    [Fact]
    public async Task Run_ScriptThatLinksItsOutputsFileToDevZero_Fails_WithBoundedMemory()
    {
        File.WriteAllText(Path.Combine(Allowed, "zero.sh"), "rm -f \"$ORCHESTRA_OUTPUTS\"\nln -s /dev/zero \"$ORCHESTRA_OUTPUTS\"\n");
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var result = await RunAsync(FileAccessPolicy.Unrestricted, "zero.sh");

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("not a regular file", result.Error, StringComparison.Ordinal);
        Assert.True(allocated < 64L * 1024 * 1024, $"the attempt allocated {allocated} bytes");
    }

    [Fact]
    public async Task Run_ScriptThatReplacesItsOutputsFileWithAFifo_FailsWithoutBlocking()
    {
        var saved = Path.Combine(Allowed, "outputs.path");
        File.WriteAllText(Path.Combine(Allowed, "fifo.sh"), $"rm -f \"$ORCHESTRA_OUTPUTS\"\nmkfifo \"$ORCHESTRA_OUTPUTS\"\necho -n \"$ORCHESTRA_OUTPUTS\" > {saved}\n");
        var run = RunAsync(FileAccessPolicy.Unrestricted, "fifo.sh");
        try
        {
            var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(OperationOutcome.Failed, result.Outcome);
            Assert.Contains("not a regular file (a FIFO", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            if (!run.IsCompleted && File.Exists(saved))
            {
                // Opening both ends never blocks on Linux and releases a reader stuck in open().
                using (new FileStream(File.ReadAllText(saved), FileMode.Open, FileAccess.ReadWrite))
                {
                }
            }
        }
    }
}
