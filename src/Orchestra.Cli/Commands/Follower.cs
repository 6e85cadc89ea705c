using System.Text.Json;
using Orchestra.Application.Nodes;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Commands;

/// <summary>
/// Follows a deployment until it settles, with the progress view, handling Ctrl-C: the first cancels the deployment
/// cleanly (journaled), the second detaches (the deployment stays journaled and resumable).
/// </summary>
internal static class Follower
{
    public static async Task<(DeploymentView? View, bool Detached)> FollowAsync(IOrchestraClient client, string name, bool json, bool cancelOnCtrlC, CancellationToken ct)
    {
        var view = CommandRunner.ProgressView(json, client, name);
        using var detach = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var presses = 0;
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            if (Interlocked.Increment(ref presses) == 1 && cancelOnCtrlC)
            {
                view.Say($"Cancelling '{name}' (press Ctrl-C again to detach and leave it resumable)...");
                _ = CancelQuietlyAsync(client, name, view);
            }
            else
            {
                detach.Cancel();
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
            }, detach.Token), detach.Token);
            return (result, false);
        }
        catch (OperationCanceledException) when (detach.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(client.DrivesLocally
                ? $"Detached. '{name}' is journaled; continue it with: orchestra resume {name}"
                : $"Detached. '{name}' goes on on the server; follow it with: orchestra status {name} --server ...");
            return (null, true);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
        }
    }

    private static async Task CancelQuietlyAsync(IOrchestraClient client, string name, IProgressView view)
    {
        try
        {
            await client.ActAsync(name, DeploymentAction.Cancel, "Ctrl-C", CancellationToken.None);
        }
        catch (Exception e)
        {
            view.Say($"Could not cancel: {e.Message}");
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
