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

    private IRenderable Render(DeploymentView view)
    {
        var now = time.GetUtcNow();
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("node").AddColumn("state").AddColumn("operation").AddColumn(new TableColumn("attempt").RightAligned()).AddColumn(new TableColumn("time").RightAligned());
        foreach (var node in view.Nodes)
        {
            var task = Formats.CurrentTask(node);
            var operation = task is null ? Markup.Escape(node.Reason) : Markup.Escape(task.Operation + (task.Phase == TaskPhase.Deploy ? string.Empty : $" ({task.Phase.ToString().ToLowerInvariant()})"));
            if (task?.Status == OperationStatus.RetryWaiting || task?.Status == OperationStatus.Failed)
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
        var width = 30;
        var filled = summary.Operations == 0 ? width : (int)Math.Round(width * (double)summary.Succeeded / summary.Operations);
        var bar = $"[green]{new string('#', filled)}[/][grey]{new string('-', width - filled)}[/]";
        var header = new Markup(
            $"[bold]{Markup.Escape(view.DeploymentId)}[/] {DeploymentState(view.Status)} {bar} {summary.Succeeded}/{summary.Operations} operations  {Formats.Duration(now - view.SubmittedAt)}\n[grey]{Markup.Escape(Formats.OneLine(view.StatusReason))}[/]");
        var rows = new List<IRenderable> { header, table };
        lock (_lock)
        {
            rows.AddRange(_messages.Select(m => new Markup($"[yellow]{Markup.Escape(m)}[/]")));
        }

        return new Rows(rows);
    }

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
