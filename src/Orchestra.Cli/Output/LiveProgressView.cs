using Orchestra.Engine.Deployments;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orchestra.Cli.Output;

/// <summary>
/// The terminal view: a table of the nodes (state, current operation, attempt, time) under a bar for the whole
/// deployment, redrawn as notifications arrive (at most ten times a second).
/// </summary>
internal sealed class LiveProgressView(IAnsiConsole console, Func<CancellationToken, Task<DeploymentView?>> read, TimeProvider time) : IProgressView
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);
    private readonly List<string> _messages = [];
    private readonly Lock _lock = new();
    private volatile bool _dirty = true;

    public async Task<DeploymentView> RunAsync(Func<Task<DeploymentView>> follow, CancellationToken ct)
    {
        DeploymentView? last = null;
        var result = default(DeploymentView);
        await console.Live(new Text("starting...")).AutoClear(false).StartAsync(async context =>
        {
            var following = follow();
            while (true)
            {
                var done = following.IsCompleted;
                if (_dirty || done)
                {
                    _dirty = false;
                    last = done ? await following : await read(ct) ?? last;
                    if (last is not null)
                    {
                        context.UpdateTarget(Render(last));
                    }
                }

                context.Refresh();
                if (done)
                {
                    result = await following;
                    return;
                }

                await Task.WhenAny(following, Task.Delay(RefreshInterval, time, CancellationToken.None));
            }
        });
        return result!;
    }

    public void OnNotification(DeploymentNotification notification) => _dirty = true;

    public void Say(string message)
    {
        lock (_lock)
        {
            _messages.Add(message);
        }

        _dirty = true;
    }

    /// <summary>
    /// The table for a view. Every column has a fixed width: the node column from every node's name, the state column from the widest
    /// state a node can reach, attempt and time from their headers and longest values; the operation column takes the rest of the
    /// terminal's width. So nothing moves sideways while states change.
    /// </summary>
    internal IRenderable Render(DeploymentView view)
    {
        var now = time.GetUtcNow();
        var nodeWidth = Math.Max("node".Length, view.Nodes.Select(n => n.Name.Length).DefaultIfEmpty(0).Max());
        // Spectre spreads an expanded table's spare width over every column, fixed or not: the operation column gets it instead.
        var fixedWidth = nodeWidth + DeploymentPrinter.NodeStatusWidth + "attempt".Length + TimeWidth;
        var operationWidth = Math.Max(MinOperationWidth, console.Profile.Width - fixedWidth - TableChrome);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("node").Width(nodeWidth).NoWrap())
            .AddColumn(new TableColumn("state").Width(DeploymentPrinter.NodeStatusWidth).NoWrap())
            .AddColumn(new TableColumn("operation").Width(operationWidth))
            .AddColumn(new TableColumn("attempt").Width("attempt".Length).RightAligned().NoWrap())
            .AddColumn(new TableColumn("time").Width(TimeWidth).RightAligned().NoWrap());
        foreach (var node in view.Nodes)
        {
            var task = Formats.CurrentTask(node);
            var operation = task is null ? Markup.Escape(node.Reason) : Markup.Escape(Formats.TaskTitle(task));
            if (task?.Status == OperationStatus.RetryWaiting)
            {
                var retry = task.RetryAt is { } retryAt ? Formats.RetryIn(retryAt, now) + ": " : string.Empty;
                operation += $" [grey]{Markup.Escape(retry + Formats.OneLine(task.Error ?? task.Reason))}[/]";
            }
            else if (task?.Status == OperationStatus.Failed)
            {
                operation += $" [grey]{Markup.Escape(Formats.OneLine(task.Reason))}[/]";
            }

            table.AddRow(
                new Markup(Markup.Escape(node.Name)),
                new Markup(NodeState(node.Status)),
                new Markup(operation),
                new Markup(task is { Attempt: > 0 } ? task.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty),
                new Markup(Formats.NodeElapsed(node, now) is { } elapsed ? Formats.Duration(elapsed) : string.Empty));
        }

        var summary = view.ToSummary();
        var undeploy = view.Phase == DeploymentPhase.Undeploy;
        var (succeeded, operations) = undeploy ? DeploymentPrinter.Teardown(view) : (summary.Succeeded, summary.Operations);
        var what = undeploy ? "teardown operations" : "operations";
        var width = 30;
        var filled = operations == 0 ? width : (int)Math.Round(width * (double)succeeded / operations);
        var bar = $"[green]{new string('#', filled)}[/][grey]{new string('-', width - filled)}[/]";
        var worked = Formats.Worked(view, now) - (undeploy ? view.ActiveTime - view.PhaseActiveTime : TimeSpan.Zero);
        var header = new Markup(
            $"[bold]{Markup.Escape(view.DeploymentId)}[/] {DeploymentState(view.Status).PadRight(DeploymentPrinter.DeploymentStatusWidth + MarkupLength(view.Status))} {bar} {succeeded}/{operations} {what}  {Formats.Duration(worked)}\n[grey]{Markup.Escape(Formats.OneLine(view.StatusReason))}[/]");
        var rows = new List<IRenderable> { header, table };
        lock (_lock)
        {
            rows.AddRange(_messages.Select(m => new Markup($"[yellow]{Markup.Escape(m)}[/]")));
        }

        return new Rows(rows);
    }

    // "1000h00m" is the longest time Formats.Duration gives a node in practice.
    private const int TimeWidth = 8;

    // Below this the operation column wraps rather than shrinks further (a terminal narrower than the table scrolls it).
    private const int MinOperationWidth = 20;

    // What the rounded border and each column's padding take: 6 border characters and 2 spaces for each of the 5 columns.
    private const int TableChrome = 6 + (5 * 2);

    // The characters a status's colour markup adds around its name, so that padding counts only what is shown.
    private static int MarkupLength(DeploymentStatus status) => DeploymentState(status).Length - status.ToString().Length;

    private static string NodeState(NodeStatus status) => status switch
    {
        NodeStatus.Deployed or NodeStatus.TornDown => $"[green]{status}[/]",
        NodeStatus.Failed => $"[red]{status}[/]",
        NodeStatus.Deploying or NodeStatus.TearingDown or NodeStatus.RollingBack => $"[blue]{status}[/]",
        NodeStatus.Cancelled or NodeStatus.RolledBack => $"[yellow]{status}[/]",
        _ => $"[grey]{status}[/]",
    };

    private static string DeploymentState(DeploymentStatus status) => status switch
    {
        DeploymentStatus.Succeeded or DeploymentStatus.Undeployed => $"[green]{status}[/]",
        DeploymentStatus.Halted or DeploymentStatus.RolledBack => $"[red]{status}[/]",
        DeploymentStatus.Cancelled or DeploymentStatus.Paused => $"[yellow]{status}[/]",
        _ => $"[blue]{status}[/]",
    };
}
