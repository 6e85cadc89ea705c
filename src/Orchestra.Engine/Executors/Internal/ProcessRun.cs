using System.Globalization;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>How one operation process ended (<see cref="ProcessExecutor.RunProcessAsync"/>): killed or its exit code, and the ends of its streams.</summary>
internal sealed class ProcessRun
{
    private readonly TailBuffer? _stdout;
    private readonly TailBuffer? _stderr;
    private readonly EngineOptions? _options;

    public ProcessRun(OperationResult startFailure) => StartFailure = startFailure;

    public ProcessRun(OperationResult? startFailure, bool killed, int exitCode, TailBuffer stdout, TailBuffer stderr, EngineOptions options)
    {
        StartFailure = startFailure;
        Killed = killed;
        ExitCode = exitCode;
        _stdout = stdout;
        _stderr = stderr;
        _options = options;
    }

    /// <summary>Why the process could not start; nothing else is set then.</summary>
    public OperationResult? StartFailure { get; }

    /// <summary>Whether it was killed on cancellation or timeout.</summary>
    public bool Killed { get; }

    /// <summary>Its exit code (-1 when killed).</summary>
    public int ExitCode { get; }

    /// <summary>The end of standard output, as text of at most <paramref name="maxChars"/> characters; empty when it wrote nothing.</summary>
    public string StdoutText(int maxChars) => _stdout is { TotalBytes: > 0 } tail ? tail.Text(maxChars) : string.Empty;

    /// <summary>The end of standard error, as text of at most <paramref name="maxChars"/> characters; empty when it wrote nothing.</summary>
    public string StderrText(int maxChars) => _stderr is { TotalBytes: > 0 } tail ? tail.Text(maxChars) : string.Empty;

    /// <summary><paramref name="result"/> carrying the ends of both streams.</summary>
    public OperationResult WithOutput(OperationResult result) => _options is null
        ? result
        : result with { Stdout = _stdout!.Tail(_options.OutputTailLines), Stderr = _stderr!.Tail(_options.OutputTailLines) };

    /// <summary>The failed attempt of a non-zero exit: the exit code and the end of stderr (or of stdout when stderr is empty).</summary>
    public OperationResult FailedExit()
    {
        var chars = _options!.ErrorTailChars;
        var tail = _stderr!.TotalBytes > 0 ? _stderr.Text(chars) : _stdout!.TotalBytes > 0 ? "(stderr empty) stdout: " + _stdout.Text(chars) : "(no output)";
        return OperationResult.Failed($"exit code {ExitCode.ToString(CultureInfo.InvariantCulture)}: {tail}", ExitCode);
    }
}
