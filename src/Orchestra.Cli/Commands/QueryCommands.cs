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
        var run = RunOption();
        var command = new Command("status", "Show a deployment: every node and task with its state and why; without NAME, every deployment.") { name, run, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var selected = Run(parse, run);
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            if (parse.GetValue(name) is not { } deployment)
            {
                return selected is null
                    ? await PrintListAsync(client, await client.SurveyAsync(ct), null, parse.GetValue(json))
                    : throw new CliUsageException("--run needs a NAME: the run of which deployment?");
            }

            var view = await ViewAsync(client, deployment, selected, ct);
            Console.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(view, CliJson.Indented)
                : DeploymentPrinter.Status(view, TimeProvider.System, selected is null ? await FailureOutputAsync(client, view, ct) : null, terminal: !Console.IsOutputRedirected));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command History()
    {
        var json = GlobalOptions.Json();
        var name = GlobalOptions.DeploymentName();
        var run = RunOption();
        var command = new Command("history", "Show every journaled event of a deployment's latest run (or of --run N), oldest first.") { name, run, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            var selected = Run(parse, run);
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var history = selected is { } number ? await client.GetRunHistoryAsync(deployment, number, ct) : await client.GetHistoryAsync(deployment, ct);
            if (history is null || history.Count == 0)
            {
                throw await NoSuchRunAsync(client, deployment, selected, ct);
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
        var run = RunOption();
        var command = new Command("outputs", "Print a deployment's outputs (of its latest run, or of --run N) as NAME=VALUE lines.") { name, run, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            var selected = Run(parse, run);
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var view = await ViewAsync(client, deployment, selected, ct);
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

    // The output of each failed task's last attempt, read only when something failed.
    private static async Task<IReadOnlyDictionary<(string Node, string Operation, TaskPhase Phase), AttemptLog>?> FailureOutputAsync(IOrchestraClient client, DeploymentView view, CancellationToken ct)
    {
        var failed = view.Nodes.SelectMany(n => n.Tasks.Where(t => t.Status == OperationStatus.Failed).Select(t => (n.Name, t.Operation, t.Phase, t.Attempt))).ToList();
        if (failed.Count == 0 || await client.GetLogsAsync(view.DeploymentId, new Application.Logs.LogSelection(), ct) is not { } logs)
        {
            return null;
        }

        return logs.Attempts
            .Where(a => failed.Contains((a.Node, a.Operation, a.Phase, a.Attempt)))
            .GroupBy(a => (a.Node, a.Operation, a.Phase))
            .ToDictionary(g => g.Key, g => g.Last());
    }

    private static Option<int?> RunOption() => new("--run")
    {
        Description = "Which run of the name: 1 is the first; each deploy after an undeploy starts the next (default: the latest).",
        HelpName = "N",
    };

    private static int? Run(ParseResult parse, Option<int?> option) =>
        parse.GetValue(option) is { } run && run < 1 ? throw new CliUsageException($"--run {run}: runs are numbered from 1.") : parse.GetValue(option);

    private static async Task<DeploymentView> ViewAsync(IOrchestraClient client, string name, int? run, CancellationToken ct) =>
        (run is { } number ? await client.GetRunAsync(name, number, ct) : await client.GetAsync(name, ct))
        ?? throw await NoSuchRunAsync(client, name, run, ct);

    // Names the latest run when the one asked for does not exist, so the user sees which runs there are.
    private static async Task<CliException> NoSuchRunAsync(IOrchestraClient client, string name, int? run, CancellationToken ct) =>
        run is { } number && await client.GetAsync(name, ct) is { } latest
            ? new CliException($"'{name}' has no run {number} (its latest is run {latest.Run}).")
            : new CliException(client.NotFound(name));
}
