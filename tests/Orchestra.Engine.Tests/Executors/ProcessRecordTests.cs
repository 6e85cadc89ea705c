using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Executors.Internal;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>
/// The process records of <see cref="ProcessExecutor"/>: a process a previous incarnation of the engine left running is stopped before its
/// operation runs again; stale and corrupt records are removed and nothing else is touched; a record lives exactly as long as its process.
/// Real processes throughout: the "orphans" are started by the test the way the executor starts scripts (<c>setsid</c>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProcessRecordTests : IDisposable
{
    private const string Key = "dep-1/web/Standard.create/deploy";
    private static readonly DateTimeOffset OrphanStartedAt = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-records-").FullName;
    private readonly List<Process> _started = [];
    private readonly EngineOptions _options;
    private readonly ProcessRecordStore _store;

    public ProcessRecordTests()
    {
        _options = new EngineOptions { KillGracePeriod = TimeSpan.FromMilliseconds(500), ProcessRecordDirectory = Path.Combine(_dir, "records") };
        _store = new ProcessRecordStore(_options.ProcessRecordDirectory);
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            // A failed test must not leave its sleepers behind.
            if (!process.HasExited)
            {
                ProcessGroup.Signal(process.Id, ProcessGroup.SigKill);
            }

            process.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Execute_WithRecordOfALiveOrphan_StopsItsWholeGroupFirst_ThenRunsAndWarns()
    {
        // The orphan ignores SIGTERM (and so does its child): only the SIGKILL after the grace period ends them.
        var childPidFile = Path.Combine(_dir, "orphan-child.pid");
        var orphan = StartInOwnGroup($"trap '' TERM; sleep 600 & echo $! > '{childPidFile}'; wait");
        var child = await ReadPidAsync(childPidFile);
        _store.Write(RecordOf(orphan.Id, StartTicks(orphan.Id), attempt: 2));
        Script("create.sh", $"echo ran > '{Path.Combine(_dir, "ran")}'");

        var result = await Run(Request("create.sh", attempt: 2));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.True(File.Exists(Path.Combine(_dir, "ran")), "the new attempt did not run");
        await AssertGoneAsync(orphan.Id);
        await AssertGoneAsync(child);
        var warning = Assert.Single(result.Warnings!);
        Assert.Contains("left running by a previous run", warning, StringComparison.Ordinal);
        Assert.Contains($"pid {orphan.Id}", warning, StringComparison.Ordinal);
        Assert.Contains("started at 2030-01-02T03:04:05", warning, StringComparison.Ordinal);
        Assert.Empty(_store.List());
    }

    [Fact]
    public async Task Execute_OrphanStoppedThenTheAttemptFails_TheErrorSaysSoToo()
    {
        var orphan = StartInOwnGroup("sleep 600");
        _store.Write(RecordOf(orphan.Id, StartTicks(orphan.Id)));
        Script("fail.sh", "echo boom >&2; exit 3");

        var result = await Run(Request("fail.sh"));

        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.StartsWith("exit code 3: boom (a process left running by a previous run", result.Error, StringComparison.Ordinal);
        Assert.Contains(result.Warnings!, w => w.Contains($"pid {orphan.Id}", StringComparison.Ordinal));
        await AssertGoneAsync(orphan.Id);
    }

    [Fact]
    public async Task Execute_WithRecordOfADeadProcess_RemovesItWithoutWarning()
    {
        var (dead, ticks) = await StartAndEndAsync();
        _store.Write(RecordOf(dead, ticks));
        var seen = Path.Combine(_dir, "seen.json");
        Script("create.sh", $"cp '{_store.PathOf(Key)}' '{seen}'");

        var result = await Run(Request("create.sh"));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Null(result.Warnings);
        // While the attempt ran, the record was its own, not the stale one.
        Assert.Equal(ProcessGroupOf(seen), ReadRecord(seen).Pid);
        Assert.NotEqual(dead, ReadRecord(seen).Pid);
        Assert.Empty(_store.List());
    }

    [Fact]
    public async Task Execute_WithRecordOfAReusedPid_RemovesItAndKillsNothing()
    {
        // A live process in its own group, but the record's start time is not its own: the pid was "reused".
        var other = StartInOwnGroup("sleep 600");
        _store.Write(RecordOf(other.Id, StartTicks(other.Id) + 1));
        Script("create.sh", "true");

        var result = await Run(Request("create.sh"));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Null(result.Warnings);
        Assert.True(IsRunning(other.Id), "a process whose pid merely matched was killed");
        Assert.Empty(_store.List());
    }

    [Fact]
    public async Task Execute_WithRecordNamingTheEngineItself_RemovesItAndKillsNothing()
    {
        // The test's own pid with a wrong start time, and then with the right one: neither may ever be signalled.
        var sibling = StartInOwnGroup("sleep 600");
        Script("create.sh", "true");
        foreach (var ticks in new[] { StartTicks(Environment.ProcessId) + 7, StartTicks(Environment.ProcessId) })
        {
            _store.Write(RecordOf(Environment.ProcessId, ticks));

            var result = await Run(Request("create.sh"));

            Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
            Assert.Null(result.Warnings);
            Assert.Empty(_store.List());
        }

        Assert.True(IsRunning(sibling.Id), "the test's own child was killed");
    }

    [Fact]
    public async Task Execute_WithRecordFromAnotherBoot_RemovesItAndKillsNothing()
    {
        var other = StartInOwnGroup("sleep 600");
        _store.Write(RecordOf(other.Id, StartTicks(other.Id)) with { BootId = "00000000-0000-0000-0000-000000000000" });
        Script("create.sh", "true");

        var result = await Run(Request("create.sh"));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Null(result.Warnings);
        Assert.True(IsRunning(other.Id), "a process of another boot's record was killed");
        Assert.Empty(_store.List());
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("""{ "version": 1, "pid": 12 }""")]
    [InlineData("""{ "version": 99, "recordId": "x", "pid": 12, "processGroupId": 12, "startTicks": 1, "bootId": "b", "startedAt": "2030-01-01T00:00:00Z", "idempotencyKey": "k", "deploymentId": "d", "node": "n", "operation": "o", "phase": "deploy", "attempt": 1, "ownerPid": 1, "ownerStartTicks": 1 }""")]
    public async Task Execute_WithCorruptRecord_RemovesItWithAWarning_AndRuns(string content)
    {
        Directory.CreateDirectory(_store.Directory);
        await File.WriteAllTextAsync(_store.PathOf(Key), content);
        Script("create.sh", $"echo ran > '{Path.Combine(_dir, "ran")}'");

        var result = await Run(Request("create.sh"));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.True(File.Exists(Path.Combine(_dir, "ran")));
        var warning = Assert.Single(result.Warnings!);
        Assert.StartsWith($"removed an unusable process record {_store.PathOf(Key)}", warning, StringComparison.Ordinal);
        Assert.Empty(_store.List());
    }

    [Fact]
    public async Task Execute_WithRecordOfAnotherKeyInItsFile_TreatsItAsCorrupt_AndKillsNothing()
    {
        var other = StartInOwnGroup("sleep 600");
        var foreign = RecordOf(other.Id, StartTicks(other.Id)) with { IdempotencyKey = "dep-2/db/Standard.create/deploy" };
        Directory.CreateDirectory(_store.Directory);
        await File.WriteAllTextAsync(_store.PathOf(Key), JsonSerializer.Serialize(foreign, ProcessRecordJson.Default.ProcessRecord));
        Script("create.sh", "true");

        var result = await Run(Request("create.sh"));

        Assert.Contains("another operation", Assert.Single(result.Warnings!), StringComparison.Ordinal);
        Assert.True(IsRunning(other.Id));
    }

    [Fact]
    public async Task Record_ExistsWhileTheProcessRuns_AndIsGoneAfterItExits()
    {
        var pidFile = Path.Combine(_dir, "op.pid");
        var go = Path.Combine(_dir, "go");
        var hadRecord = Path.Combine(_dir, "had-record");
        // The first thing the script does is look for its record: it must already be there.
        Script("create.sh", $"""
            if [ -e '{_store.PathOf(Key)}' ]; then echo yes > '{hadRecord}'; fi
            echo $$ > '{pidFile}'
            while [ ! -e '{go}' ]; do sleep 0.05; done
            """);

        var run = Run(Request("create.sh", attempt: 4));
        var pid = await ReadPidAsync(pidFile);
        var ticks = StartTicks(pid);
        var record = ReadRecord(_store.PathOf(Key));
        await File.WriteAllTextAsync(go, "go");
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.True(File.Exists(hadRecord), "the script started before its record was written");
        Assert.Equal(pid, record.Pid);
        Assert.Equal(pid, record.ProcessGroupId);
        Assert.Equal(ticks, record.StartTicks);
        Assert.Equal(ProcFs.BootId, record.BootId);
        Assert.Equal((Key, "dep-1", "web", "Standard.create", "deploy", 4), (record.IdempotencyKey, record.DeploymentId, record.Node, record.Operation, record.Phase, record.Attempt));
        Assert.Equal(Environment.ProcessId, record.OwnerPid);
        Assert.Equal(StartTicks(Environment.ProcessId), record.OwnerStartTicks);
        Assert.Empty(_store.List());
        Assert.Empty(Directory.GetFiles(_store.Directory));
    }

    [Fact]
    public async Task Record_IsGoneAfterATimeout()
    {
        var pidFile = Path.Combine(_dir, "op.pid");
        Script("hang.sh", $"echo $$ > '{pidFile}'; sleep 600");

        var run = Run(Request("hang.sh", timeout: TimeSpan.FromSeconds(2)));
        var pid = await ReadPidAsync(pidFile);
        Assert.Equal(pid, ReadRecord(_store.PathOf(Key)).Pid);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(OperationOutcome.TimedOut, result.Outcome);
        Assert.Empty(_store.List());
    }

    [Fact]
    public async Task Record_IsGoneAfterACancel()
    {
        var pidFile = Path.Combine(_dir, "op.pid");
        Script("hang.sh", $"echo $$ > '{pidFile}'; sleep 600");
        using var cancel = new CancellationTokenSource();

        var run = Run(Request("hang.sh"), cancel.Token);
        var pid = await ReadPidAsync(pidFile);
        Assert.Equal(pid, ReadRecord(_store.PathOf(Key)).Pid);
        await cancel.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(OperationOutcome.Cancelled, result.Outcome);
        await AssertGoneAsync(pid);
        Assert.Empty(_store.List());
    }

    [Fact]
    public void Record_OfALaterAttempt_IsNotRemovedByAnEarlierOneWindingDown()
    {
        // The earlier execution's record was replaced (a later attempt started meanwhile): it must leave the later one's alone.
        var stored = _store.Write(RecordOf(Environment.ProcessId, 1));
        var later = _store.Write(RecordOf(Environment.ProcessId, 2));

        Assert.False(ProcessRecordStore.RemoveIfUnchanged(stored.Path, stored.Text));
        Assert.Equal(2, ReadRecord(later.Path).StartTicks);
        Assert.True(ProcessRecordStore.RemoveIfUnchanged(later.Path, later.Text));
    }

    [Fact]
    public async Task Sweep_StopsOrphansOfDeadEngines_AndLeavesLiveEnginesProcessesAlone()
    {
        var (deadEngine, deadEngineTicks) = await StartAndEndAsync();
        var orphan = StartInOwnGroup("sleep 600");
        var owned = StartInOwnGroup("sleep 600");
        _store.Write(RecordOf(orphan.Id, StartTicks(orphan.Id)) with { IdempotencyKey = "d/orphan/op/deploy", OwnerPid = deadEngine, OwnerStartTicks = deadEngineTicks });
        _store.Write(RecordOf(owned.Id, StartTicks(owned.Id)) with { IdempotencyKey = "d/owned/op/deploy" });
        Directory.CreateDirectory(_store.Directory);
        await File.WriteAllTextAsync(_store.PathOf("d/corrupt/op/deploy"), "garbage");

        var done = await new ProcessExecutor(_options, NullLogger.Instance).StopOrphansAsync(CancellationToken.None);

        Assert.Equal(2, done.Count);
        Assert.Contains(done, d => d.Contains($"pid {orphan.Id}", StringComparison.Ordinal));
        await AssertGoneAsync(orphan.Id);
        Assert.True(IsRunning(owned.Id), "the process of a live engine was stopped");
        Assert.Equal(owned.Id, ReadRecord(Assert.Single(_store.List())).Pid);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void ParseStat_ReadsTheFieldsAfterTheLastParenthesis()
    {
        var stat = ProcFs.ParseStat("4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1 2 3 4 5");

        Assert.Equal(new ProcStat('S', 4242, 4242, 987654), stat);
        Assert.Null(ProcFs.ParseStat("4242 (truncated) S 1 2"));
        Assert.False(new ProcStat('Z', 1, 1, 1).IsRunning);
    }

    private ProcessRecord RecordOf(int pid, long startTicks, int attempt = 1) => new(
        ProcessRecord.CurrentVersion, Guid.NewGuid().ToString("N"), pid, pid, startTicks, ProcFs.BootId!, OrphanStartedAt, Key, "dep-1", "web",
        "Standard.create", "deploy", attempt, Environment.ProcessId, StartTicks(Environment.ProcessId));

    private OperationRequest Request(string implementation, TimeSpan? timeout = null, int attempt = 1) =>
        new("dep-1", "web", "Standard.create", TaskPhase.Deploy, implementation, new Dictionary<string, string>(), attempt, Key, _dir, timeout ?? TimeSpan.FromSeconds(30));

    private Task<OperationResult> Run(OperationRequest request, CancellationToken cancellationToken = default) =>
        new ExecutorRegistry(_options).RunAsync(request, TimeProvider.System, cancellationToken);

    private void Script(string name, string body) => File.WriteAllText(Path.Combine(_dir, name), body + "\n");

    // Started as ProcessExecutor starts a script: setsid makes it the leader of its own process group.
    private Process StartInOwnGroup(string bash)
    {
        var info = new ProcessStartInfo("/usr/bin/setsid") { UseShellExecute = false };
        foreach (var arg in new[] { "/bin/bash", "-c", bash })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        _started.Add(process);
        return process;
    }

    // A process that ran and is gone: its pid and start time, as a record of it would hold them.
    private async Task<(int Pid, long StartTicks)> StartAndEndAsync()
    {
        var process = StartInOwnGroup("sleep 600");
        var ticks = StartTicks(process.Id);
        process.Kill();
        await process.WaitForExitAsync();
        return (process.Id, ticks);
    }

    private static long StartTicks(int pid) => ProcFs.ReadStat(pid)?.StartTicks ?? throw new InvalidOperationException($"no /proc/{pid}/stat");

    private static bool IsRunning(int pid) => ProcFs.ReadStat(pid) is { IsRunning: true };

    private static ProcessRecord ReadRecord(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), ProcessRecordJson.Default.ProcessRecord)!;

    private static int ProcessGroupOf(string recordPath) => ReadRecord(recordPath).ProcessGroupId;

    private static async Task<int> ReadPidAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (File.Exists(path) && int.TryParse((await File.ReadAllTextAsync(path)).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} never got a pid");
            await Task.Delay(20);
        }
    }

    private static async Task AssertGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (IsRunning(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} still runs");
            await Task.Delay(50);
        }
    }
}
