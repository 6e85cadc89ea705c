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

            return await FollowAsync(client, deployment, asJson, ExpectedAfterRun(view), ct);
        }));
        return command;
    }

    public static Command Retry() => Simple("retry", DeploymentAction.Retry, "Run the failed operations of a halted deployment again, and follow it.");

    public static Command Pause() => Simple("pause", DeploymentAction.Pause, "Pause a deployment: running operations finish, nothing new starts.");

    public static Command Cancel() => Simple("cancel", DeploymentAction.Cancel, "Cancel a deployment: running operations are killed, nothing new starts.");

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
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            await client.TakeOverAsync(deployment, m => Console.Error.WriteLine(m), ct);
            var view = await client.ActAsync(deployment, action, parse.GetValue(reason), ct);
            var expected = action switch
            {
                DeploymentAction.Pause => DeploymentStatus.Paused,
                DeploymentAction.Cancel => DeploymentStatus.Cancelled,
                DeploymentAction.Undeploy => DeploymentStatus.Undeployed,
                _ => ExpectedAfterRun(view),
            };
            return await FollowAsync(client, deployment, parse.GetValue(json), expected, ct);
        }));
        return command;
    }

    // A rollback or a cancel that runs to its end still means the deployment failed (exit 1).
    private static DeploymentStatus ExpectedAfterRun(DeploymentView view) =>
        view.Phase == DeploymentPhase.Undeploy ? DeploymentStatus.Undeployed : DeploymentStatus.Succeeded;

    private static async Task<int> FollowAsync(IOrchestraClient client, string name, bool json, DeploymentStatus expected, CancellationToken ct)
    {
        var (view, detached) = await Follower.FollowAsync(client, name, json, cancelOnCtrlC: false, ct);
        if (detached || view is null)
        {
            return ExitCodes.Detached;
        }

        Follower.PrintResult(view, json);
        return CommandRunner.ExitCodeFor(view, expected);
    }

    private static (Command Command, Argument<string> Name, Option<bool> Json) Create(string verb, string description)
    {
        var name = GlobalOptions.DeploymentName();
        var json = GlobalOptions.Json();
        var command = new Command(verb, description) { name, json };
        return (command, name, json);
    }
}
