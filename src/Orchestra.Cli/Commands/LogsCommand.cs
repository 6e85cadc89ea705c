using System.CommandLine;
using System.Text.Json;
using System.Threading.Channels;
using Orchestra.Application.Logs;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Commands;

/// <summary><c>orchestra logs NAME [NODE[.OPERATION]] [--attempt N] [--follow] [--json]</c>: what each attempt's script printed.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var json = GlobalOptions.Json();
        var name = GlobalOptions.DeploymentName();
        var target = new Argument<string?>("NODE[.OPERATION]")
        {
            Description = "Only this node's attempts, or only this operation's (e.g. web, web.create or web.Standard.create).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var attempt = new Option<int?>("--attempt") { Description = "Only attempt N.", HelpName = "N" };
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "Keep printing as attempts run, until the chosen operation's attempts are over or the deployment settles.",
        };
        var command = new Command("logs", "Show what each attempt's script printed to stdout and stderr (the end of it, as kept in the journal).")
        {
            name, target, attempt, follow, json,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var plan = await client.GetPlanAsync(deployment, ct) ?? throw new CliException($"There is no deployment '{deployment}'.");
            LogSelection selection;
            try
            {
                selection = LogSelection.Parse(parse.GetValue(target), parse.GetValue(attempt), plan).Resolve(deployment, plan);
            }
            catch (LogSelectionException e)
            {
                throw new CliException(e.Message);
            }

            var logs = await client.GetLogsAsync(deployment, selection, ct) ?? throw new CliException($"There is no deployment '{deployment}'.");
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(logs, CliJson.Indented));
                return ExitCodes.Success;
            }

            var printer = new LogPrinter(Console.Out, terminal: !Console.IsOutputRedirected);
            var printed = new HashSet<AttemptKey>();
            PrintEnded(printer, logs, printed);
            if (!parse.GetValue(follow))
            {
                if (logs.Attempts.Count == 0)
                {
                    Console.Out.WriteLine("Nothing selected has run yet.");
                }

                foreach (var running in logs.Attempts.Where(a => a.Outcome == AttemptOutcome.Running))
                {
                    printer.Attempt(running);
                }

                return ExitCodes.Success;
            }

            await (client is LocalClient local
                ? FollowStoreAsync(local, deployment, plan, selection, printer, printed, ct)
                : FollowLiveAsync(client, deployment, selection, printer, printed, ct));
            return ExitCodes.Success;
        }));
        return command;
    }

    private readonly record struct AttemptKey(string Node, string Operation, TaskPhase Phase, int Attempt);

    private static void PrintEnded(LogPrinter printer, DeploymentLogs logs, HashSet<AttemptKey> printed)
    {
        foreach (var a in logs.Attempts)
        {
            if (a.Outcome != AttemptOutcome.Running && printed.Add(new AttemptKey(a.Node, a.Operation, a.Phase, a.Attempt)))
            {
                printer.Attempt(a);
            }
        }
    }

    // Through a server: lines come live from its event stream. An attempt that ended before the stream connected, or whose lines
    // were not seen, is printed from the journal when it ends (or at the end), so nothing is left out and nothing printed twice.
    private static async Task FollowLiveAsync(
        IOrchestraClient client, string name, LogSelection selection, LogPrinter printer, HashSet<AttemptKey> printed, CancellationToken ct)
    {
        var notifications = Channel.CreateUnbounded<DeploymentNotification>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var following = client.FollowAsync(name, n => notifications.Writer.TryWrite(n), stop.Token);
        _ = following.ContinueWith(_ => notifications.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var live = new HashSet<AttemptKey>();
        await foreach (var n in notifications.Reader.ReadAllAsync(ct))
        {
            if (n.Node is null || n.Operation is null || n.Attempt is not { } number || !selection.Includes(n.Node, n.Operation, number))
            {
                continue;
            }

            var key = new AttemptKey(n.Node, n.Operation, n.Phase ?? TaskPhase.Deploy, number);
            switch (n.Kind)
            {
                case NotificationKind.TaskOutput when !printed.Contains(key):
                    live.Add(key);
                    printer.Live(n);
                    break;
                case NotificationKind.TaskSucceeded or NotificationKind.TaskAttemptFailed or NotificationKind.TaskFailed or NotificationKind.TaskCancelled:
                    if (live.Contains(key))
                    {
                        printed.Add(key);
                        printer.Ended(n, n.Kind switch
                        {
                            NotificationKind.TaskSucceeded => "succeeded",
                            NotificationKind.TaskCancelled => "cancelled",
                            _ => "failed",
                        });
                    }
                    else if (!printed.Contains(key))
                    {
                        PrintEnded(printer, await client.GetLogsAsync(name, selection with { Node = key.Node, Operation = key.Operation, Attempt = key.Attempt }, ct)
                            ?? new DeploymentLogs(name, []), printed);
                    }

                    // The chosen operation's attempts are over: nothing more of it will run unless an operator retries it.
                    if (selection.Operation is not null && n.Kind is not NotificationKind.TaskAttemptFailed)
                    {
                        await stop.CancelAsync();
                    }

                    break;
                default:
                    break;
            }
        }

        try
        {
            await following;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
        }

        PrintEnded(printer, await client.GetLogsAsync(name, selection, ct) ?? new DeploymentLogs(name, []), printed);
    }

    // On a local store another process drives the deployment: its lines never reach this one, so each attempt is printed from the
    // journal once it has ended, read again every Orchestra:Leases:FollowPollInterval.
    private static async Task FollowStoreAsync(
        LocalClient client, string name, DeploymentPlan plan, LogSelection selection, LogPrinter printer, HashSet<AttemptKey> printed, CancellationToken ct)
    {
        await Console.Error.WriteLineAsync(
            $"orchestra: following '{name}' in the local store: each attempt is shown once it ends (through 'orchestra serve' and --server, lines show as they are printed).");
        while (true)
        {
            var view = await client.GetAsync(name, ct) ?? throw new CliException($"There is no deployment '{name}'.");
            PrintEnded(printer, await client.GetLogsAsync(name, selection, ct) ?? new DeploymentLogs(name, []), printed);
            if (view.Status.IsSettled() || OperationIsOver(view, selection))
            {
                return;
            }

            await Task.Delay(client.FollowPollInterval, TimeProvider.System, ct);
        }
    }

    private static bool OperationIsOver(DeploymentView view, LogSelection selection)
    {
        if (selection.Operation is null)
        {
            return false;
        }

        var tasks = view.Nodes.Where(n => n.Name == selection.Node).SelectMany(n => n.Tasks).Where(t => t.Operation == selection.Operation && t.Attempt > 0).ToList();
        return tasks.Count > 0 && tasks.All(t => t.Status is OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled);
    }
}
