using System.Diagnostics;
using System.Text;

namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>A running <c>orchestra</c> process: its output as it comes, SIGKILL and SIGINT.</summary>
public sealed class OrchestraProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _description;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Predicate, TaskCompletionSource Done)> _waiters = [];

    public OrchestraProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits until stdout + stderr contain a line matching <paramref name="predicate"/>.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_stdout.ToString().Split('\n').Concat(_stderr.ToString().Split('\n')).Any(predicate))
            {
                return;
            }

            _waiters.Add((predicate, done));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(done.Task, exited, Task.Delay(timeout));
        if (first != done.Task)
        {
            throw new TimeoutException($"'orchestra {_description}' did not print the expected line ({(first == exited ? "it exited" : "timed out")}).\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
        }
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout) => WaitForOutputAsync(l => l.Contains(text, StringComparison.Ordinal), timeout);

    /// <summary>kill -9: the process dies at once, without running any cleanup.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl-C on a terminal does.</summary>
    public void Interrupt() => Signal("INT");

    /// <summary>Sends SIGTERM.</summary>
    public void Terminate() => Signal("TERM");

    public async Task<ProcessResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
            throw new TimeoutException($"'orchestra {_description}' did not exit within {timeout}.\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
        }

        // WaitForExit without a timeout also waits for the redirected streams to reach their end.
        _process.WaitForExit();
        return new ProcessResult(_process.ExitCode, Stdout, Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillHard();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id}") { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            buffer.Append(line).Append('\n');
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(line))
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
