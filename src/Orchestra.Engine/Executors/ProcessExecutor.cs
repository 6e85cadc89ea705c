using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Orchestra.Engine.Executors.Internal;

namespace Orchestra.Engine.Executors;

/// <summary>
/// Runs file implementations as child processes: <c>.sh</c> with bash, <c>.py</c> with python3, anything else executed directly.
/// </summary>
/// <remarks>
/// <para><b>Command line.</b> The program and the script path are passed as separate arguments (<see cref="ProcessStartInfo.ArgumentList"/>);
/// inputs never appear on a command line.</para>
/// <para><b>Environment.</b> The host's environment, plus each input by name, plus <c>ORCHESTRA_DEPLOYMENT</c>, <c>ORCHESTRA_NODE</c>,
/// <c>ORCHESTRA_OPERATION</c>, <c>ORCHESTRA_PHASE</c>, <c>ORCHESTRA_ATTEMPT</c>, <c>ORCHESTRA_IDEMPOTENCY_KEY</c> and <c>ORCHESTRA_OUTPUTS</c>
/// (which win over inputs of the same name). An input name that is not a valid variable name (<c>[A-Za-z_][A-Za-z0-9_]*</c>) is mangled:
/// every other character becomes <c>_</c>, and a leading digit gets a <c>_</c> prefix (<c>db-port</c> → <c>db_port</c>); a warning says so.</para>
/// <para><b>Outputs.</b> <c>ORCHESTRA_OUTPUTS</c> names an empty temporary file; each <c>key=value</c> line the process writes there becomes an
/// output (split at the first <c>=</c>; keys of letters, digits, <c>_ . -</c>; blank lines and <c>#</c> comments skipped; later lines win).
/// Other lines are ignored with a warning recorded on the task. A file over <see cref="EngineOptions.MaxOutputsFileBytes"/> fails the attempt.</para>
/// <para><b>Result.</b> Exit code 0 is success; anything else a failed attempt whose error carries the exit code and the end of stderr
/// (or of stdout when stderr is empty). Both pipes are drained as the process runs into buffers of <see cref="EngineOptions.OutputTailBytes"/>:
/// a flood costs no memory and cannot block the process.</para>
/// <para><b>Kill.</b> The process starts as the leader of its own process group (<c>/usr/bin/setsid</c>). On timeout or cancellation the whole
/// group gets SIGTERM, then SIGKILL after <see cref="EngineOptions.KillGracePeriod"/>: children and grandchildren die with it. A process that
/// exits normally may leave daemons behind (they should detach, e.g. <c>setsid nohup ... &amp;</c>); its pipes are read for at most 2 more seconds.</para>
/// </remarks>
/// <param name="options">The engine options.</param>
public sealed partial class ProcessExecutor(EngineOptions options) : IOperationExecutor
{
    private const string Setsid = "/usr/bin/setsid";
    private static readonly bool HasSetsid = File.Exists(Setsid);
    private static readonly TimeSpan PipeDrainAfterExit = TimeSpan.FromSeconds(2);

    /// <inheritdoc/>
    public bool CanExecute(string implementation) => !implementation.StartsWith(BuiltinExecutor.Prefix, StringComparison.Ordinal);

    /// <inheritdoc/>
    public async ValueTask<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = Path.GetFullPath(request.WorkingDirectory ?? Environment.CurrentDirectory);
        var path = Path.GetFullPath(Path.Combine(directory, request.Implementation));
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
            using var process = new Process { StartInfo = StartInfo(request, path, directory, outputsFile, warnings) };
            try
            {
                process.Start();
            }
            catch (Win32Exception ex)
            {
                return OperationResult.Failed($"cannot run {path}: {ex.Message}");
            }

            process.StandardInput.Close();
            var stdout = new TailBuffer(options.OutputTailBytes);
            var stderr = new TailBuffer(options.OutputTailBytes);
            using var drain = new CancellationTokenSource();
            var drains = Task.WhenAll(DrainAsync(process.StandardOutput.BaseStream, stdout, drain.Token), DrainAsync(process.StandardError.BaseStream, stderr, drain.Token));

            var killed = false;
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                killed = true;
                await KillGroupAsync(process).ConfigureAwait(false);
            }

            drain.CancelAfter(PipeDrainAfterExit);
            await drains.ConfigureAwait(false);
            if (killed)
            {
                return OperationResult.Cancelled();
            }

            if (process.ExitCode != 0)
            {
                var tail = stderr.TotalBytes > 0 ? stderr.Text(options.ErrorTailChars) : stdout.TotalBytes > 0 ? "(stderr empty) stdout: " + stdout.Text(options.ErrorTailChars) : "(no output)";
                return OperationResult.Failed($"exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {tail}", process.ExitCode);
            }

            var length = new FileInfo(outputsFile).Length;
            if (length > options.MaxOutputsFileBytes)
            {
                return OperationResult.Failed($"the outputs file (ORCHESTRA_OUTPUTS) is {length} bytes, over the limit of {options.MaxOutputsFileBytes} bytes");
            }

            var text = await File.ReadAllTextAsync(outputsFile, CancellationToken.None).ConfigureAwait(false);
            var outputs = OutputsFile.Parse(text, warnings);
            return OperationResult.Succeeded(outputs, warnings);
        }
        finally
        {
            TryDelete(outputsFile);
        }
    }

    private ProcessStartInfo StartInfo(OperationRequest request, string path, string directory, string outputsFile, List<string> warnings)
    {
        var (program, script) = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".SH" => (options.BashPath, path),
            ".PY" => (options.PythonPath, path),
            _ => (path, null),
        };
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
            info.ArgumentList.Add(program);
        }

        if (script is not null)
        {
            info.ArgumentList.Add(script);
        }

        foreach (var (name, value) in request.Inputs)
        {
            var variable = EnvironmentName(name);
            if (variable is null)
            {
                warnings.Add($"input '{name}' has no usable environment variable name and was not passed");
                continue;
            }

            if (!string.Equals(variable, name, StringComparison.Ordinal))
            {
                warnings.Add($"input '{name}' is passed as environment variable {variable}");
            }

            info.Environment[variable] = value;
        }

        info.Environment["ORCHESTRA_DEPLOYMENT"] = request.DeploymentId;
        info.Environment["ORCHESTRA_NODE"] = request.Node;
        info.Environment["ORCHESTRA_OPERATION"] = request.Operation;
        info.Environment["ORCHESTRA_PHASE"] = request.Phase.ToString().ToLowerInvariant();
        info.Environment["ORCHESTRA_ATTEMPT"] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        info.Environment["ORCHESTRA_IDEMPOTENCY_KEY"] = request.IdempotencyKey;
        info.Environment["ORCHESTRA_OUTPUTS"] = outputsFile;
        return info;
    }

    /// <summary>The environment variable name an input is passed under (see the remarks of <see cref="ProcessExecutor"/>).</summary>
    /// <param name="input">The input's name.</param>
    /// <returns>The variable name, or <see langword="null"/> if nothing usable remains (an empty name).</returns>
    public static string? EnvironmentName(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length == 0)
        {
            return null;
        }

        var chars = input.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_'))
            {
                chars[i] = '_';
            }
        }

        var name = new string(chars);
        return char.IsAsciiDigit(name[0]) ? "_" + name : name;
    }

    private async Task KillGroupAsync(Process process)
    {
        if (HasSetsid)
        {
            ProcessGroup.Signal(process.Id, ProcessGroup.SigTerm);
            using var grace = new CancellationTokenSource(options.KillGracePeriod, options.TimeProvider);
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

    private static async Task DrainAsync(Stream stream, TailBuffer tail, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                tail.Write(buffer.AsSpan(0, read));
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
