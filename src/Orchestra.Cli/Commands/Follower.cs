using System.Text.Json;
using Orchestra.Application.Nodes;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Commands;

/// <summary>
/// Follows a deployment until it settles, with the progress view, and handles Ctrl-C. For a command that drives the deployment in this
/// process (<c>deploy</c>, <c>resume</c>, <c>retry</c>, <c>undeploy</c>) the first Ctrl-C pauses it (journaled; no new operation
/// starts, the running ones finish) and the command waits until it is paused; a second one stops following, and disposing the client
/// then kills the running operations, which are left to run again on resume. Otherwise (<c>pause</c>, <c>cancel</c>, or a deployment run
/// by a server) Ctrl-C stops following at once.
/// </summary>
internal static class Follower
{
    public static async Task<FollowOutcome> FollowAsync(IOrchestraClient client, string name, bool json, bool pauseOnCtrlC, CancellationToken ct)
    {
        var view = CommandRunner.ProgressView(json, client, name);
        var pausing = pauseOnCtrlC && client.DrivesLocally;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var presses = 0;
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            if (Interlocked.Increment(ref presses) == 1 && pausing)
            {
                view.Say($"Ctrl-C: pausing '{name}': no new operation starts and the running ones finish (press Ctrl-C again to stop them; they run again on resume)...");
                _ = PauseQuietlyAsync(client, name, view);
            }
            else
            {
                stop.Cancel();
            }
        }

        Console.CancelKeyPress += OnCancelKey;
        try
        {
            var result = await view.RunAsync(() => client.FollowAsync(name, n =>
            {
                // A script's lines are for `orchestra logs`, not the progress view.
                if (n.Kind != NotificationKind.TaskOutput)
                {
                    view.OnNotification(n);
                }
            }, stop.Token), stop.Token);
            return new FollowOutcome(result, Volatile.Read(ref presses) > 0 ? FollowEnd.PausedByCtrlC : FollowEnd.Settled);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new FollowOutcome(null, pausing ? FollowEnd.Stopped : FollowEnd.Detached);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
        }
    }

    /// <summary>Prints how a followed command ended and returns its exit code.</summary>
    /// <param name="client">The client; disposed here when a second Ctrl-C stopped the run, so that its operations are gone before the last line.</param>
    /// <param name="name">The deployment.</param>
    /// <param name="outcome">How following ended.</param>
    /// <param name="json">Whether to print the view as JSON.</param>
    /// <param name="expected">The status that means success.</param>
    public static async Task<int> FinishAsync(IOrchestraClient client, string name, FollowOutcome outcome, bool json, DeploymentStatus expected)
    {
        switch (outcome.End)
        {
            case FollowEnd.Stopped:
                await client.DisposeAsync();
                await Console.Error.WriteLineAsync(
                    $"Stopped. The operations that were running in '{name}' were killed; nothing was cancelled, and they run again with: orchestra resume {name}");
                return ExitCodes.Detached;
            case FollowEnd.Detached:
                await Console.Error.WriteLineAsync(client.DrivesLocally
                    ? $"Detached. '{name}' is journaled; continue it with: orchestra resume {name}"
                    : $"Detached. '{name}' goes on on the server; follow it with: orchestra status {name} --server ...");
                return ExitCodes.Detached;
        }

        var view = outcome.View!;
        PrintResult(view, json);
        if (view.Status == DeploymentStatus.Paused && expected != DeploymentStatus.Paused)
        {
            await Console.Error.WriteLineAsync(outcome.End == FollowEnd.PausedByCtrlC
                ? $"Paused by Ctrl-C; continue it with: orchestra resume {name}"
                : $"'{name}' was paused; continue it with: orchestra resume {name}");
            return outcome.End == FollowEnd.PausedByCtrlC ? ExitCodes.Detached : ExitCodes.Failed;
        }

        return CommandRunner.ExitCodeFor(view, expected);
    }

    private static async Task PauseQuietlyAsync(IOrchestraClient client, string name, IProgressView view)
    {
        try
        {
            await client.ActAsync(name, DeploymentAction.Pause, $"Ctrl-C in process {Environment.ProcessId}", CancellationToken.None);
        }
        catch (CliException e)
        {
            // It settled before the pause landed: following ends by itself with that outcome.
            var now = await TryGetStatusAsync(client, name);
            if (now?.IsSettled() == true)
            {
                view.Say($"Nothing to pause: '{name}' is already {now}.");
                return;
            }

            // Not pausable now (halting, cancelling, already pausing): nothing new starts anyway, and the wait goes on.
            view.Say($"{e.Message.TrimEnd('.')}. Waiting for the running operations to end (press Ctrl-C again to stop them).");
        }
        catch (Exception e)
        {
            view.Say($"Could not pause: {e.Message}");
        }
    }

    private static async Task<DeploymentStatus?> TryGetStatusAsync(IOrchestraClient client, string name)
    {
        try
        {
            return (await client.GetAsync(name, CancellationToken.None))?.Status;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Prints the end of a followed command: the summary, or the view as JSON.</summary>
    public static void PrintResult(DeploymentView view, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(view, CliJson.Indented));
        }
        else
        {
            Console.Out.WriteLine(DeploymentPrinter.Summary(view));
        }
    }
}

/// <summary>How following a deployment ended.</summary>
internal enum FollowEnd
{
    /// <summary>It settled.</summary>
    Settled,

    /// <summary>It settled after a Ctrl-C asked it to pause.</summary>
    PausedByCtrlC,

    /// <summary>A second Ctrl-C: this process stops driving it (its running operations are killed when the client is disposed).</summary>
    Stopped,

    /// <summary>Ctrl-C stopped following; the deployment goes on where it runs (or waits, journaled).</summary>
    Detached,
}

/// <summary>The end of following: the settled view (none when stopped or detached) and how it ended.</summary>
internal sealed record FollowOutcome(DeploymentView? View, FollowEnd End);
