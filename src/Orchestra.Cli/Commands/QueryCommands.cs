using System.CommandLine;
using System.Text.Json;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;

namespace Orchestra.Cli.Commands;

/// <summary><c>list</c>, <c>status</c>, <c>history</c>, <c>outputs</c>: read the store (or the server), change nothing.</summary>
internal static class QueryCommands
{
    public static Command List()
    {
        var json = GlobalOptions.Json();
        var status = new Option<string?>("--status") { Description = "Only deployments with this status (e.g. Running, Halted).", HelpName = "STATUS" };
        var command = new Command("list", "List the deployments.") { status, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            DeploymentStatus? filter = null;
            if (parse.GetValue(status) is { } text)
            {
                if (!Enum.TryParse<DeploymentStatus>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    throw new CliUsageException($"Unknown status '{text}'; one of: {string.Join(", ", Enum.GetNames<DeploymentStatus>())}.");
                }

                filter = parsed;
            }

            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            return await PrintListAsync(client, await client.SurveyAsync(ct), filter, parse.GetValue(json));
        }));
        return command;
    }

    /// <summary>
    /// Prints the readable deployments, then names each unreadable one on stderr and exits 1: a deployment that exists
    /// is never left out silently, and "No deployments." is said only when there are none.
    /// </summary>
    private static async Task<int> PrintListAsync(IOrchestraClient client, DeploymentSurvey survey, DeploymentStatus? filter, bool json)
    {
        if (client is NoStoreClient none && !json)
        {
            Console.Out.WriteLine(none.Message);
            return ExitCodes.Success;
        }

        var deployments = filter is { } f ? survey.Deployments.Where(d => d.Status == f).ToArray() : survey.Deployments;
        if (json || deployments.Count > 0 || survey.Unreadable.Count == 0)
        {
            Console.Out.WriteLine(json ? JsonSerializer.Serialize(deployments, CliJson.Indented) : DeploymentPrinter.List(deployments));
        }

        foreach (var unreadable in survey.Unreadable)
        {
            await Console.Error.WriteLineAsync($"orchestra: {unreadable.Message}");
        }

        return survey.Unreadable.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    public static Command Status()
    {
        var json = GlobalOptions.Json();
        var name = new Argument<string?>("NAME") { Description = "The deployment (all of them when omitted).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show a deployment: every node and task with its state and why; without NAME, every deployment.") { name, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            if (parse.GetValue(name) is not { } deployment)
            {
                return await PrintListAsync(client, await client.SurveyAsync(ct), null, parse.GetValue(json));
            }

            var view = await client.GetAsync(deployment, ct) ?? throw new CliException(client.NotFound(deployment));
            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(view, CliJson.Indented) : DeploymentPrinter.Status(view, TimeProvider.System));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command History()
    {
        var json = GlobalOptions.Json();
        var name = GlobalOptions.DeploymentName();
        var command = new Command("history", "Show every journaled event of a deployment, oldest first.") { name, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var history = await client.GetHistoryAsync(deployment, ct);
            if (history is null || history.Count == 0)
            {
                throw new CliException(client.NotFound(deployment));
            }

            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(history, CliJson.Indented) : DeploymentPrinter.History(history));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Outputs()
    {
        var json = GlobalOptions.Json();
        var name = GlobalOptions.DeploymentName();
        var command = new Command("outputs", "Print a deployment's outputs as NAME=VALUE lines.") { name, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var view = await client.GetAsync(deployment, ct) ?? throw new CliException(client.NotFound(deployment));
            if (view.Status == DeploymentStatus.Undeployed)
            {
                // What the outputs described (a URL, a pid, a file) was torn down: printing them would send a script to nothing.
                throw new CliException($"Deployment '{deployment}' is undeployed: it has no outputs any more.");
            }

            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(view.Outputs, CliJson.Indented) : DeploymentPrinter.Outputs(view));
            return ExitCodes.Success;
        }));
        return command;
    }
}
