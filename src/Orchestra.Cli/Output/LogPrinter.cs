using System.Globalization;
using Orchestra.Application.Logs;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;

namespace Orchestra.Cli.Output;

/// <summary>Prints attempts' output for <c>orchestra logs</c>: a header per attempt and stream, then its lines.</summary>
/// <remarks>
/// On a terminal every line goes through <see cref="TerminalText.Neutralise"/> (a script's escape sequences must not drive the
/// user's terminal); redirected, the text is written as it was journaled.
/// </remarks>
internal sealed class LogPrinter(TextWriter output, bool terminal)
{
    private (string Node, string Operation, TaskPhase Phase, int Attempt, OutputStream Stream)? _live;

    // A revert is named as the progress view names it: the operation that runs, and what it reverts.
    public static string Describe(string node, string operation, TaskPhase phase, int attempt, string? runs) =>
        $"{node} {Formats.TaskTitle(operation, phase, runs)} #{attempt.ToString(CultureInfo.InvariantCulture)}";

    public static string Outcome(AttemptLog a) => a.Outcome switch
    {
        AttemptOutcome.Failed when a.ExitCode is { } code => $"failed, exit code {code.ToString(CultureInfo.InvariantCulture)}",
        var outcome => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>Prints one attempt's journaled output, each stream under its own header.</summary>
    public void Attempt(AttemptLog a)
    {
        _live = null;
        var what = $"{Describe(a.Node, a.Operation, a.Phase, a.Attempt, a.Runs)} ({Outcome(a)})";
        if (a.Outcome == AttemptOutcome.Running)
        {
            output.WriteLine($"==> {what}: running; its output is shown when it ends (--follow shows it live) <==");
            return;
        }

        if (a.Stdout is null && a.Stderr is null)
        {
            output.WriteLine($"==> {what}: no output <==");
            return;
        }

        Stream(what, "stdout", a.Stdout);
        Stream(what, "stderr", a.Stderr);
    }

    /// <summary>Prints a line an attempt prints as it runs, under a header whenever the attempt or stream changes.</summary>
    public void Live(DeploymentNotification n)
    {
        var key = (n.Node!, n.Operation!, n.Phase ?? TaskPhase.Deploy, n.Attempt ?? 0, n.Stream ?? OutputStream.Stdout);
        if (_live != key)
        {
            _live = key;
            output.WriteLine($"==> {Describe(key.Item1, key.Item2, key.Item3, key.Item4, n.Runs)} (running) {key.Item5.ToString().ToLowerInvariant()} <==");
        }

        output.WriteLine(Clean(n.Message ?? string.Empty));
        output.Flush();
    }

    /// <summary>Says that an attempt whose lines were shown live has ended.</summary>
    public void Ended(DeploymentNotification n, string outcome)
    {
        _live = null;
        output.WriteLine($"==> {Describe(n.Node!, n.Operation!, n.Phase ?? TaskPhase.Deploy, n.Attempt ?? 0, n.Runs)} {outcome} <==");
        output.Flush();
    }

    private void Stream(string what, string name, OutputTail? tail)
    {
        if (tail is null)
        {
            return;
        }

        output.WriteLine($"==> {what} {name} <==");
        if (tail.Truncated)
        {
            output.WriteLine($"(earlier output dropped: {tail.TotalBytes.ToString(CultureInfo.InvariantCulture)} bytes in all; the end is kept)");
        }

        foreach (var line in tail.Text.Split('\n'))
        {
            output.WriteLine(Clean(line));
        }

        output.Flush();
    }

    private string Clean(string line) => terminal ? TerminalText.Neutralise(line) : line;
}
