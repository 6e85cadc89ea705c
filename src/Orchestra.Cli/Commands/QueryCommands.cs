using System.CommandLine;
using System.Text.Json;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;

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
            var all = await client.ListAsync(ct);
            var deployments = filter is { } f ? all.Where(d => d.Status == f).ToArray() : all;
            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(deployments, CliJson.Indented) : DeploymentPrinter.List(deployments));
            return ExitCodes.Success;
        }));
        return command;
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
                var all = await client.ListAsync(ct);
                Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(all, CliJson.Indented) : DeploymentPrinter.List(all));
                return ExitCodes.Success;
            }

            var view = await client.GetAsync(deployment, ct) ?? throw NotFound(deployment);
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
                throw NotFound(deployment);
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
            var view = await client.GetAsync(deployment, ct) ?? throw NotFound(deployment);
            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(view.Outputs, CliJson.Indented) : DeploymentPrinter.Outputs(view));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static CliException NotFound(string name) => new($"There is no deployment '{name}'.");
}
