using System.CommandLine;
using Orchestra.Application.Nodes;
using Orchestra.Cli.Clients;
using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Commands;

/// <summary><c>resume</c>, <c>retry</c>, <c>pause</c>, <c>cancel</c>, <c>undeploy</c>: act on a deployment and follow it until it settles.</summary>
internal static class ActionCommands
{
    public static Command Resume()
    {
        var (command, name, json) = Create("resume",
            "Continue a deployment: after a crash or a detach (taking over its lease once its holder is proven dead or the lease expired), or after a pause.");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            var asJson = parse.GetValue(json);
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var view = await client.TakeOverAsync(deployment, m => Console.Error.WriteLine(m), ct);
            if (view.Status is DeploymentStatus.Paused or DeploymentStatus.Pausing)
            {
                view = await client.ActAsync(deployment, DeploymentAction.Resume, null, ct);
            }
            else if (view.Status.IsSettled())
            {
                if (view.Status == DeploymentStatus.Halted)
                {
                    Console.Error.WriteLine($"'{deployment}' is halted; to run its failed operations again: orchestra retry {deployment}");
                }

                Follower.PrintResult(view, asJson);
                return view.Status is DeploymentStatus.Succeeded or DeploymentStatus.Undeployed ? ExitCodes.Success : ExitCodes.Failed;
            }

            return await FollowAsync(client, deployment, asJson, ExpectedAfterRun(view), pauseOnCtrlC: true, ct);
        }));
        return command;
    }

    public static Command Retry() => Simple("retry", DeploymentAction.Retry, "Run the failed operations of a halted deployment again, and follow it.");

    public static Command Pause() => Simple("pause", DeploymentAction.Pause,
        "Pause a deployment: running operations finish, nothing new starts. Reaches the process that drives it on this store, if any.");

    public static Command Cancel() => Simple("cancel", DeploymentAction.Cancel,
        "Cancel a deployment (final): running operations are killed, nothing new starts. Reaches the process that drives it on this store, if any.");

    public static Command Undeploy() => Simple("undeploy", DeploymentAction.Undeploy, "Undeploy: run the teardown operations (stop, delete) in reverse dependency order.");

    private static Command Simple(string verb, DeploymentAction action, string description)
    {
        var (command, name, json) = Create(verb, description);
        var reason = new Option<string?>("--reason") { Description = "Why, recorded in the history (pause and cancel).", HelpName = "TEXT" };
        if (action is DeploymentAction.Pause or DeploymentAction.Cancel)
        {
            command.Options.Add(reason);
        }

        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            var asJson = parse.GetValue(json);
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            if (action is DeploymentAction.Pause or DeploymentAction.Cancel)
            {
                var forwarded = await ForwardAsync(client, deployment, action, parse.GetValue(reason), asJson, ct);
                if (forwarded is { } exitCode)
                {
                    return exitCode;
                }
            }

            await client.TakeOverAsync(deployment, m => Console.Error.WriteLine(m), ct);
            if (action is DeploymentAction.Pause or DeploymentAction.Cancel && client.DrivesLocally)
            {
                Console.Error.WriteLine($"No process drives '{deployment}'; {(action == DeploymentAction.Pause ? "pausing" : "cancelling")} it here.");
            }

            var view = await client.ActAsync(deployment, action, parse.GetValue(reason), ct);
            var expected = action switch
            {
                DeploymentAction.Pause => DeploymentStatus.Paused,
                DeploymentAction.Cancel => DeploymentStatus.Cancelled,
                DeploymentAction.Undeploy => DeploymentStatus.Undeployed,
                _ => ExpectedAfterRun(view),
            };
            return await FollowAsync(client, deployment, asJson, expected, pauseOnCtrlC: action is DeploymentAction.Retry or DeploymentAction.Undeploy, ct);
        }));
        return command;
    }

    // A rollback or a cancel that runs to its end still means the deployment failed (exit 1).
    private static DeploymentStatus ExpectedAfterRun(DeploymentView view) =>
        view.Phase == DeploymentPhase.Undeploy ? DeploymentStatus.Undeployed : DeploymentStatus.Succeeded;

    private static async Task<int> FollowAsync(IOrchestraClient client, string name, bool json, DeploymentStatus expected, bool pauseOnCtrlC, CancellationToken ct)
    {
        var outcome = await Follower.FollowAsync(client, name, json, pauseOnCtrlC, ct);
        return await Follower.FinishAsync(client, name, outcome, json, expected);
    }

    // While another process of this machine drives the deployment (it holds the lease), the command goes to that process, which journals
    // it; this one only waits for the deployment to settle there. Null when no other process drives it.
    private static async Task<int?> ForwardAsync(IOrchestraClient client, string name, DeploymentAction action, string? reason, bool json, CancellationToken ct)
    {
        var what = action == DeploymentAction.Pause ? "pause (running operations finish, nothing new starts)" : "cancel (running operations are killed)";
        var forwarded = await client.TryForwardAsync(name, action, reason,
            (pid, status) => Console.Error.WriteLine($"'{name}' is driven by process {pid}, which journaled the {what}; waiting until it is {(action == DeploymentAction.Pause ? "paused" : "cancelled")} ({status} now)..."),
            ct);
        if (forwarded is null)
        {
            return null;
        }

        // The journal is the judge: the driving process may close the connection as it exits, right after the deployment settled.
        var view = await client.GetAsync(name, ct) ?? throw new CliException($"There is no deployment '{name}' in this store.");
        if (forwarded.Settled is null && !view.Status.IsSettled())
        {
            Console.Error.WriteLine($"Process {forwarded.ProcessId} stopped driving '{name}' before it settled ({view.Status}); see: orchestra status {name}");
        }

        Follower.PrintResult(view, json);
        return CommandRunner.ExitCodeFor(view, action == DeploymentAction.Pause ? DeploymentStatus.Paused : DeploymentStatus.Cancelled);
    }

    private static (Command Command, Argument<string> Name, Option<bool> Json) Create(string verb, string description)
    {
        var name = GlobalOptions.DeploymentName();
        var json = GlobalOptions.Json();
        var command = new Command(verb, description) { name, json };
        return (command, name, json);
    }
}
