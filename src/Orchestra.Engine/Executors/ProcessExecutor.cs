using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Engine.Executors.Internal;
using Orchestra.Engine.Files;

namespace Orchestra.Engine.Executors;

/// <summary>
/// Runs file implementations as child processes: <c>.sh</c> with bash, <c>.py</c> with python3, anything else executed directly.
/// </summary>
/// <remarks>
/// <para><b>Command line.</b> The program and the script path are passed as separate arguments (<see cref="ProcessStartInfo.ArgumentList"/>);
/// inputs never appear on a command line.</para>
/// <para><b>Environment.</b> A clean one, never the orchestrator's: <c>PATH</c> (<see cref="EngineOptions.ScriptSearchPath"/>), <c>HOME</c>,
/// <c>USER</c>, <c>LOGNAME</c>, <c>LANG</c> and <c>LC_ALL</c> (<c>C.UTF-8</c>), <c>TMPDIR</c>, the variables of
/// <see cref="EngineOptions.PassEnvironment"/>, each input by name, and <c>ORCHESTRA_DEPLOYMENT</c>, <c>ORCHESTRA_NODE</c>,
/// <c>ORCHESTRA_OPERATION</c>, <c>ORCHESTRA_PHASE</c>, <c>ORCHESTRA_ATTEMPT</c>, <c>ORCHESTRA_IDEMPOTENCY_KEY</c> and <c>ORCHESTRA_OUTPUTS</c>
/// (see <see cref="ScriptEnvironment"/>). An input whose name <see cref="ScriptEnvironment.IsAllowedInputName"/> refuses (<c>BASH_ENV</c>,
/// <c>LD_PRELOAD</c>, <c>db-port</c>, ...) fails the attempt before anything is started, with an error naming every such input. An
/// interpreter named without a directory (<see cref="EngineOptions.PythonPath"/> <c>python3</c>) is looked up on the orchestrator's
/// <c>PATH</c>, not the script's.</para>
/// <para><b>Outputs.</b> <c>ORCHESTRA_OUTPUTS</c> names an empty temporary file; each <c>key=value</c> line the process writes there becomes an
/// output (split at the first <c>=</c>; keys of letters, digits, <c>_ . -</c>; blank lines and <c>#</c> comments skipped; later lines win).
/// Other lines are ignored with a warning recorded on the task. A file over <see cref="EngineOptions.MaxOutputsFileBytes"/> fails the attempt, and
/// so does one the process replaced with anything but a regular file (a link to <c>/dev/zero</c>, a FIFO): it is never read past the limit.</para>
/// <para><b>Files.</b> With a restricted <see cref="EngineOptions.FileAccess"/>, the working directory and the implementation must really lie
/// (links resolved) inside its roots right before the run, or the attempt fails and nothing runs; the resolved file is what runs.</para>
/// <para><b>Result.</b> Exit code 0 is success; anything else a failed attempt whose error carries the exit code and the end of stderr
/// (or of stdout when stderr is empty). Both pipes are drained as the process runs into buffers of <see cref="EngineOptions.OutputTailBytes"/>:
/// a flood costs no memory and cannot block the process. Whatever the outcome, the result carries the end of each stream
/// (<see cref="OperationResult.Stdout"/>, <see cref="OperationResult.Stderr"/>: at most <see cref="EngineOptions.OutputTailLines"/> lines),
/// and each line goes to <see cref="OperationRequest.OnOutputLine"/> as it is read.</para>
/// <para><b>Kill.</b> The process starts as the leader of its own process group (<c>/usr/bin/setsid</c>). On timeout or cancellation the whole
/// group gets SIGTERM, then SIGKILL after <see cref="EngineOptions.KillGracePeriod"/>: children and grandchildren die with it. A process that
/// exits normally may leave daemons behind (they should detach, e.g. <c>setsid nohup ... &amp;</c>); its pipes are read for at most 2 more seconds.</para>
/// <para><b>Orphans.</b> Because the process has its own group, it outlives the engine when the engine dies (SIGKILL, OOM; a host that is
/// disposed stops it first), and the durability contract runs the operation again on resume with the same idempotency key. When
/// <see cref="EngineOptions.ProcessRecordDirectory"/> is set, the executor writes a record of every process right after it starts (pid,
/// process group, start time from <c>/proc/&lt;pid&gt;/stat</c>, boot id, idempotency key, deployment, node, operation, attempt; a temporary
/// file renamed into place) and removes it once the process has exited (normally, on timeout or on cancel). Before an attempt, a record for
/// the same idempotency key whose process still runs (same boot, same pid, same start time) is a previous incarnation's orphan: its group
/// gets SIGTERM, then SIGKILL after <see cref="EngineOptions.KillGracePeriod"/>, the executor waits until it is gone, and the attempt's
/// result carries a warning that says so (a failed attempt's error too). If it will not die, the attempt fails rather than run a second copy.
/// A stale record (another boot, a dead pid, or a pid reused by another process) is removed; an unreadable one is removed with a warning.</para>
/// </remarks>
public sealed partial class ProcessExecutor : IOperationExecutor
{
    private const string Setsid = "/usr/bin/setsid";
    private const string GateShell = "/bin/sh";
    private const string Gate = "read -r _ || :; unset PWD OLDPWD; exec \"$0\" \"$@\"";
    private static readonly bool HasSetsid = File.Exists(Setsid) && File.Exists(GateShell);
    private static readonly TimeSpan PipeDrainAfterExit = TimeSpan.FromSeconds(2);
    private readonly EngineOptions _options;
    private readonly ProcessTracker? _tracker;

    /// <summary>Creates the executor.</summary>
    /// <param name="options">The engine options.</param>
    /// <param name="logger">Where to log orphans stopped and process records that cannot be read or written; <see langword="null"/> for nowhere.</param>
    public ProcessExecutor(EngineOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _tracker = string.IsNullOrWhiteSpace(_options.ProcessRecordDirectory)
            ? null
            : new ProcessTracker(_options.ProcessRecordDirectory, options, logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Stops every recorded process whose engine process is gone and removes stale and corrupt records (see the remarks); a host
    /// may call it once at start, after recovering its deployments. Does nothing when <see cref="EngineOptions.ProcessRecordDirectory"/> is not set.
    /// </summary>
    /// <param name="cancellationToken">Stops the sweep between records.</param>
    /// <returns>What was done, one line per record acted on.</returns>
    internal Task<IReadOnlyList<string>> StopOrphansAsync(CancellationToken cancellationToken) =>
        _tracker?.SweepAsync(cancellationToken) ?? Task.FromResult<IReadOnlyList<string>>([]);

    /// <inheritdoc/>
    public bool CanExecute(string implementation) => !implementation.StartsWith(BuiltinExecutor.Prefix, StringComparison.Ordinal);

    /// <inheritdoc/>
    public async ValueTask<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ScriptEnvironment.Refusals(request, _options) is { Count: > 0 } refusals)
        {
            return OperationResult.Failed($"not run: {string.Join("; ", refusals)}");
        }

        return await RunGuardedAsync(request, RunAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="run"/> for an attempt once the orphan a previous engine left running for the same idempotency key is
    /// stopped (see the remarks), and puts what that took among the result's warnings (a failed attempt's error says it too).
    /// </summary>
    internal async Task<OperationResult> RunGuardedAsync(OperationRequest request, Func<OperationRequest, CancellationToken, Task<OperationResult>> run, CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        if (_tracker is not null && await _tracker.StopPreviousAsync(request, notices).ConfigureAwait(false) is { } refused)
        {
            return WithNotices(refused, notices);
        }

        if (notices.Count > 0 && cancellationToken.IsCancellationRequested)
        {
            return WithNotices(OperationResult.Cancelled(), notices);
        }

        var result = await run(request, cancellationToken).ConfigureAwait(false);
        return notices.Count == 0 ? result : WithNotices(result, notices);
    }

    // What happened before the attempt goes first among its warnings; a failed attempt's error says it too, because only a
    // success journals warnings.
    internal static OperationResult WithNotices(OperationResult result, List<string> notices)
    {
        if (notices.Count == 0)
        {
            return result;
        }

        var warnings = notices.Concat(result.Warnings ?? []).ToList();
        return result.Outcome == OperationOutcome.Succeeded
            ? result with { Warnings = warnings }
            : result with { Error = $"{result.Error} ({string.Join("; ", notices)})", Warnings = warnings };
    }

    private async Task<OperationResult> RunAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(request.WorkingDirectory ?? Environment.CurrentDirectory);
        var path = Path.GetFullPath(Path.Combine(directory, request.Implementation));
        if (CheckAccess(ref path, directory) is { } refused)
        {
            return refused;
        }

        if (!File.Exists(path))
        {
            return OperationResult.Failed($"implementation file not found: {path}");
        }

        if (!Directory.Exists(directory))
        {
            return OperationResult.Failed($"working directory not found: {directory}");
        }

        var warnings = new List<string>();
        var outputsFile = Path.Combine(Path.GetTempPath(), $"orchestra-outputs-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(outputsFile, [], cancellationToken).ConfigureAwait(false);
        try
        {
            var run = await RunProcessAsync(request, StartInfo(request, path, directory, outputsFile), path, warnings, cancellationToken).ConfigureAwait(false);
            if (run.StartFailure is { } failure)
            {
                return failure;
            }

            OperationResult WithOutput(OperationResult result) => run.WithOutput(result);
            if (run.Killed)
            {
                return WithOutput(OperationResult.Cancelled());
            }

            if (run.ExitCode != 0)
            {
                return WithOutput(run.FailedExit());
            }

            if (ReadOutputsFile(outputsFile, warnings, out var text) is { } unreadable)
            {
                return WithOutput(unreadable);
            }

            var outputs = OutputsFile.Parse(text, warnings);
            return WithOutput(OperationResult.Succeeded(outputs, warnings));
        }
        finally
        {
            TryDelete(outputsFile);
        }
    }

    /// <summary>
    /// Starts <paramref name="info"/> (made by <see cref="GatedStartInfo"/>), records it for the orphan sweep, drains both pipes into
    /// bounded tails (and to <see cref="OperationRequest.OnOutputLine"/>), and waits for it to exit; on cancellation its whole process
    /// group is killed (SIGTERM, then SIGKILL after the grace period).
    /// </summary>
    internal async Task<ProcessRun> RunProcessAsync(OperationRequest request, ProcessStartInfo info, string what, List<string> warnings, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new ProcessRun(OperationResult.Failed($"cannot run {what}: {ex.Message}"));
        }

        // Recorded before anything else: if this engine dies now, the next run on this machine finds the process and stops it.
        var record = _tracker?.Track(process, request, HasSetsid, warnings);
        var stdout = new TailBuffer(_options.OutputTailBytes);
        var stderr = new TailBuffer(_options.OutputTailBytes);
        using var drain = new CancellationTokenSource();
        var live = request.OnOutputLine is { } onLine
            ? (Stdout: new LineSplitter(OutputStream.Stdout, onLine, _options.OutputLineMaxChars), Stderr: new LineSplitter(OutputStream.Stderr, onLine, _options.OutputLineMaxChars))
            : default;
        var drains = Task.WhenAll(
            DrainAsync(process.StandardOutput.BaseStream, stdout, live.Stdout, drain.Token),
            DrainAsync(process.StandardError.BaseStream, stderr, live.Stderr, drain.Token));

        var killed = false;
        try
        {
            // The gate (see GatedStartInfo) holds the program until its record exists; this line releases it, and closing
            // stdin leaves the program the empty input it always had.
            try
            {
                if (HasSetsid)
                {
                    await process.StandardInput.WriteLineAsync().ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The gate is gone already (killed from outside): its exit is what the wait below reports.
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            killed = true;
            await KillGroupAsync(process).ConfigureAwait(false);
        }
        finally
        {
            if (process.HasExited)
            {
                _tracker?.Forget(record);
            }
        }

        drain.CancelAfter(PipeDrainAfterExit);
        await drains.ConfigureAwait(false);
        return new ProcessRun(null, killed, killed ? -1 : process.ExitCode, stdout, stderr, _options);
    }

    // The script may have replaced its outputs file with a link to /dev/zero or with a FIFO (whose size reads 0): read it as
    // only a regular file, and never past the limit.
    private OperationResult? ReadOutputsFile(string outputsFile, List<string> warnings, out string text)
    {
        var read = FileAccessPolicy.Unrestricted.ReadFile(outputsFile, _options.MaxOutputsFileBytes);
        text = read.Status == FileReadStatus.Read ? new UTF8Encoding(false).GetString(read.Content!).TrimStart('\uFEFF') : string.Empty;
        const string What = "the outputs file (ORCHESTRA_OUTPUTS)";
        switch (read.Status)
        {
            case FileReadStatus.Read:
                return null;
            case FileReadStatus.NotFound:
                warnings.Add($"{What} was removed by the operation; it has no outputs");
                return null;
            case FileReadStatus.TooLarge:
                var size = read.Length is { } length ? $"is {length} bytes" : "holds more";
                return OperationResult.Failed($"{What} {size}, over the limit of {_options.MaxOutputsFileBytes} bytes");
            case FileReadStatus.NotRegularFile:
                return OperationResult.Failed($"{What} is not a regular file ({read.Kind}): the operation replaced it");
            default:
                return OperationResult.Failed($"{What} cannot be read: {read.Error}");
        }
    }

    // The compiler checked these paths against the same policy, but a link may have been changed since (a deployment resumed
    // days later): check again, and run the file the check resolved rather than the path, which a link could lead elsewhere.
    // Whoever could still swap a link between here and the exec can write inside an allowed directory, and so run a script anyway.
    internal OperationResult? CheckAccess(ref string path, string directory)
    {
        var files = _options.FileAccess;
        if (!files.IsRestricted)
        {
            return null;
        }

        if (!files.Allows(directory))
        {
            return OperationResult.Failed($"working directory {directory} is outside {files.DescribeRoots()}; nothing was run");
        }

        if (files.Resolve(path) is not { } real)
        {
            return OperationResult.Failed($"implementation {path} leads outside {files.DescribeRoots()}; nothing was run");
        }

        path = real;
        return null;
    }

    private ProcessStartInfo StartInfo(OperationRequest request, string path, string directory, string outputsFile)
    {
        var (program, script) = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".SH" => (_options.BashPath, path),
            ".PY" => (_options.PythonPath, path),
            _ => (path, null),
        };
        var info = GatedStartInfo(program, directory);
        if (script is not null)
        {
            info.ArgumentList.Add(script);
        }

        ScriptEnvironment.Fill(info.Environment, request, outputsFile, _options);
        return info;
    }

    /// <summary>
    /// A start info for <paramref name="program"/> (looked up on the orchestrator's <c>PATH</c> when named without a directory) as the
    /// leader of its own process group, held at a gate until <see cref="RunProcessAsync"/> has recorded it; the caller adds the
    /// program's arguments and sets its whole environment.
    /// </summary>
    internal static ProcessStartInfo GatedStartInfo(string program, string directory)
    {
        program = ScriptEnvironment.ResolveProgram(program);
        var info = new ProcessStartInfo(HasSetsid ? Setsid : program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        if (HasSetsid)
        {
            // setsid makes the process its own group; the shell in between waits for one line on stdin before it becomes the
            // program (exec: same pid, same start time; the shell's own PWD is not passed on), so the record names the process before its first instruction runs and
            // a kill of the engine at any moment leaves no script this machine cannot find and stop.
            info.ArgumentList.Add(GateShell);
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(Gate);
            info.ArgumentList.Add(program);
        }

        return info;
    }

    private async Task KillGroupAsync(Process process)
    {
        if (HasSetsid)
        {
            // The grace period is armed before the signal goes out: whoever sees the SIGTERM (a script's trap, a test's clock) knows
            // the SIGKILL is already on its way.
            using var grace = new CancellationTokenSource(_options.KillGracePeriod, _options.TimeProvider);
            ProcessGroup.Signal(process.Id, ProcessGroup.SigTerm);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Grace period over: SIGKILL below.
            }

            // Children may outlive the leader (or ignore SIGTERM): kill the whole group regardless.
            ProcessGroup.Signal(process.Id, ProcessGroup.SigKill);
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task DrainAsync(Stream stream, TailBuffer tail, LineSplitter? live, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                tail.Write(buffer.AsSpan(0, read));
                live?.Write(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // A detached child still holds the pipe open: stop reading.
        }
        catch (IOException)
        {
            // The pipe broke: nothing more to read.
        }

        live?.Complete();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
