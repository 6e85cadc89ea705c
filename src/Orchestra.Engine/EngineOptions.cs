using Orchestra.Engine.Files;

namespace Orchestra.Engine;

/// <summary>Settings of the engine: concurrency, timeouts, snapshots, leases and executor limits.</summary>
/// <remarks>Bound from configuration section <c>Orchestra:Engine</c> by the hosts. Call <see cref="Validate"/> before use.</remarks>
public sealed class EngineOptions
{
    /// <summary>The most tasks of one deployment that run at the same time.</summary>
    /// <value>The default is 16.</value>
    public int MaxConcurrentTasks { get; set; } = 16;

    /// <summary>How long one attempt of an operation may run when its plan sets no timeout; then its process tree is killed.</summary>
    /// <value>The default is 30 minutes.</value>
    public TimeSpan DefaultOperationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a process gets between SIGTERM and SIGKILL when it is timed out or cancelled.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A deployment saves a snapshot of its state after this many journaled events, so recovery replays at most this many.</summary>
    /// <value>The default is 5000.</value>
    public int SnapshotEveryEvents { get; set; } = 5000;

    /// <summary>
    /// How long a settled deployment's actor stays in memory without a request; then it stops (its state stays in the journal and a
    /// snapshot, and the next request recovers it). <see cref="Timeout.InfiniteTimeSpan"/> keeps settled deployments in memory.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan PassivateSettledAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether each deployment is run under a lease from the lease store (required when several hosts share a store).</summary>
    /// <value>The default is <see langword="false"/> (a single process owns its store).</value>
    public bool LeasesEnabled { get; set; }

    /// <summary>This host's identity as a lease owner and journal writer; unique per process incarnation.</summary>
    /// <value>The default is <c>&lt;machine&gt;-&lt;pid&gt;-&lt;random&gt;</c>.</value>
    public string Owner { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// How long a deployment lease lasts without renewal. It is also the lease watchdog's deadline: once no renewal has succeeded for
    /// this long, every attempt of the deployment running here is cancelled (a process group gets SIGTERM, then SIGKILL after
    /// <see cref="KillGracePeriod"/>) from a timer outside the deployment's mailbox, and the deployment journals nothing more here.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a held lease is renewed; must be well under <see cref="LeaseTtl"/>.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest outputs file (<c>ORCHESTRA_OUTPUTS</c>) an operation may write; a larger one fails the attempt.</summary>
    /// <value>The default is 1 MiB.</value>
    public int MaxOutputsFileBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The largest plan a deployment may be submitted with, in UTF-8 bytes of the JSON it is journaled as: the whole plan goes into the
    /// deployment's first event, and every recovery reads it back. A larger plan is refused before anything is written.
    /// </summary>
    /// <remarks>The submission's inputs and labels are journaled beside the plan; the TOSCA compiler bounds the inputs on its own.</remarks>
    /// <value>The default is 16 MiB.</value>
    public long MaxPlanBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// How many bytes of the end of each of a process's streams (stdout and stderr, each) are kept per attempt; the rest is discarded
    /// as it streams. What is kept is journaled with the attempt's outcome (<c>orchestra logs</c>), so this also bounds the journal.
    /// </summary>
    /// <value>The default is 64 KiB.</value>
    public int OutputTailBytes { get; set; } = 64 * 1024;

    /// <summary>How many lines of the end of each of a process's streams are kept per attempt (within <see cref="OutputTailBytes"/>).</summary>
    /// <value>The default is 200.</value>
    public int OutputTailLines { get; set; } = 200;

    /// <summary>The longest line passed on live (to <c>logs --follow</c>); a longer one is passed on in pieces of this many characters.</summary>
    /// <value>The default is 4096 characters.</value>
    public int OutputLineMaxChars { get; set; } = 4096;

    /// <summary>How much of the end of stderr goes into a failed attempt's error message.</summary>
    /// <value>The default is 2000 characters.</value>
    public int ErrorTailChars { get; set; } = 2000;

    /// <summary>How many deployments recover from the store at the same time at start (so a thousand do not stampede the database).</summary>
    /// <value>The default is 4.</value>
    public int RecoveryParallelism { get; set; } = 4;

    /// <summary>How long a host call waits for a deployment actor to answer a command or a query.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The shell that runs <c>.sh</c> implementations.</summary>
    /// <value>The default is <c>/bin/bash</c>.</value>
    public string BashPath { get; set; } = "/bin/bash";

    /// <summary>The interpreter that runs <c>.py</c> implementations (looked up on PATH when not rooted).</summary>
    /// <value>The default is <c>python3</c>.</value>
    public string PythonPath { get; set; } = "python3";

    /// <summary>The <c>ansible-playbook</c> that runs playbook implementations (<c>.yml</c>/<c>.yaml</c>; looked up on PATH when not rooted).</summary>
    /// <value>The default is <c>/usr/bin/ansible-playbook</c> (Debian's package <c>ansible</c>).</value>
    public string AnsiblePlaybookPath { get; set; } = "/usr/bin/ansible-playbook";

    /// <summary>
    /// The <c>PATH</c> every operation process gets. Scripts start with a clean environment (see
    /// <see cref="Executors.ScriptEnvironment"/>), so the orchestrator's own <c>PATH</c> does not reach them.
    /// </summary>
    /// <value>The default is <c>/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin</c>.</value>
    public string ScriptSearchPath { get; set; } = Executors.ScriptEnvironment.DefaultSearchPath;

    /// <summary>
    /// Names of variables of the orchestrator's own environment that every operation process also gets (proxies, a cloud
    /// region, ...): an explicit allow-list, because nothing else of that environment (its bearer token, database URLs,
    /// credentials) reaches a script. A listed variable the orchestrator does not have is not set; one that the executor also
    /// sets (<c>PATH</c>, <c>HOME</c>, <c>LANG</c>, ...) replaces the fixed value; an operation input of a listed name is refused.
    /// </summary>
    /// <value>The default is empty: scripts get nothing of the orchestrator's environment.</value>
    public IList<string> PassEnvironment { get; set; } = [];

    /// <summary>
    /// Where the process executor records each operation process it runs (pid, process group, start time, boot id, idempotency key),
    /// so that after this engine dies (SIGKILL, OOM) the next one on this machine stops the process still running before
    /// it runs the same operation again, instead of running two copies at once. <see langword="null"/> or empty turns this off.
    /// </summary>
    /// <remarks>
    /// The directory must belong to one store: two stores can hold deployments with the same ids and idempotency keys, and a record
    /// of one would stop the other's process. The hosts set it next to the store when it is not configured: <c>&lt;store
    /// directory&gt;/processes</c> for SQLite, a directory per (server, database, schema) under the user's state directory for
    /// PostgreSQL. A record only ever names a process by pid, start time and boot id, so a stale one (after a reboot, or for a pid
    /// now used by another process) is removed, never acted on. Linux only (it reads <c>/proc</c>); elsewhere nothing is recorded.
    /// </remarks>
    /// <value>The default is <see langword="null"/> (off; the CLI and the server set it per store).</value>
    public string? ProcessRecordDirectory { get; set; }

    /// <summary>The clock for events, retries, timeouts and leases.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Which implementation files the process executor may run, checked again right before each run (a link may have changed since
    /// the plan was compiled), links resolved. Set by the host, not from configuration: the server restricts it to its allowed
    /// template directories; the local CLI runs what its user can.
    /// </summary>
    /// <value>The default is <see cref="FileAccessPolicy.Unrestricted"/>.</value>
    public FileAccessPolicy FileAccess { get; set; } = FileAccessPolicy.Unrestricted;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">A name or path is empty.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentTasks, 1, nameof(MaxConcurrentTasks));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultOperationTimeout, TimeSpan.Zero, nameof(DefaultOperationTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(KillGracePeriod, TimeSpan.Zero, nameof(KillGracePeriod));
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotEveryEvents, 1, nameof(SnapshotEveryEvents));
        if (PassivateSettledAfter != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PassivateSettledAfter, TimeSpan.Zero, nameof(PassivateSettledAfter));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(Owner, nameof(Owner));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseTtl, TimeSpan.Zero, nameof(LeaseTtl));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseRenewInterval, TimeSpan.Zero, nameof(LeaseRenewInterval));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(LeaseRenewInterval, LeaseTtl, nameof(LeaseRenewInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOutputsFileBytes, 1, nameof(MaxOutputsFileBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPlanBytes, 1024, nameof(MaxPlanBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutputTailBytes, 256, nameof(OutputTailBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutputTailLines, 1, nameof(OutputTailLines));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutputLineMaxChars, 80, nameof(OutputLineMaxChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(ErrorTailChars, 1, nameof(ErrorTailChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(RecoveryParallelism, 1, nameof(RecoveryParallelism));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CommandTimeout, TimeSpan.Zero, nameof(CommandTimeout));
        ArgumentException.ThrowIfNullOrWhiteSpace(BashPath, nameof(BashPath));
        ArgumentException.ThrowIfNullOrWhiteSpace(PythonPath, nameof(PythonPath));
        ArgumentException.ThrowIfNullOrWhiteSpace(AnsiblePlaybookPath, nameof(AnsiblePlaybookPath));
        ArgumentException.ThrowIfNullOrWhiteSpace(ScriptSearchPath, nameof(ScriptSearchPath));
        ArgumentNullException.ThrowIfNull(PassEnvironment, nameof(PassEnvironment));
        foreach (var name in PassEnvironment)
        {
            if (name is null || !Executors.ScriptEnvironment.IsVariableName(name) || name.StartsWith("ORCHESTRA_", StringComparison.Ordinal))
            {
                throw new ArgumentException($"PassEnvironment lists '{name}', which is not a variable name ([A-Za-z_][A-Za-z0-9_]*) or is one of the executor's own ORCHESTRA_* variables", nameof(PassEnvironment));
            }
        }
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(FileAccess, nameof(FileAccess));
    }
}
