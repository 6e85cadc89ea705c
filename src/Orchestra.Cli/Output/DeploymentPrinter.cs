using System.Globalization;
using System.Text;
using Orchestra.Application.Api;
using Orchestra.Application.Logs;
using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Output;

/// <summary>Plain-text renderings of deployments, lists, histories and outputs (the same on a terminal and in a pipe).</summary>
internal static class DeploymentPrinter
{
    /// <summary>The widest name a deployment's status can have: its column never moves as a status changes.</summary>
    public static readonly int DeploymentStatusWidth = Enum.GetNames<DeploymentStatus>().Max(n => n.Length);

    /// <summary>The widest name a node's status can have.</summary>
    public static readonly int NodeStatusWidth = Enum.GetNames<NodeStatus>().Max(n => n.Length);

    /// <summary>The widest name a task's status can have.</summary>
    public static readonly int OperationStatusWidth = Enum.GetNames<OperationStatus>().Max(n => n.Length);

    public static string Summary(DeploymentView view)
    {
        var text = new StringBuilder();
        if (view.Phase == DeploymentPhase.Undeploy)
        {
            // An undeploy is judged by its teardown, over its own time.
            var (succeeded, total) = Teardown(view);
            text.Append(CultureInfo.InvariantCulture,
                $"Deployment '{view.DeploymentId}' {view.Status}: {succeeded}/{total} teardown operations succeeded in {Formats.Duration(view.PhaseActiveTime)}.\n");
        }
        else
        {
            var summary = view.ToSummary();
            text.Append(CultureInfo.InvariantCulture,
                $"Deployment '{view.DeploymentId}' {view.Status}: {summary.Succeeded}/{summary.Operations} operations succeeded in {Formats.Duration(view.ActiveTime)}.\n");
        }

        if (!string.IsNullOrWhiteSpace(view.StatusReason) && view.Status != DeploymentStatus.Succeeded)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Formats.OneLine(view.StatusReason)}\n");
        }

        foreach (var task in view.Nodes.SelectMany(n => n.Tasks.Select(t => (Node: n.Name, Task: t))).Where(p => p.Task.Status == OperationStatus.Failed))
        {
            text.Append(CultureInfo.InvariantCulture, $"  failed: {task.Node} {Formats.TaskTitle(task.Task)} (attempt {task.Task.Attempt}): {Formats.OneLine(task.Task.Error ?? task.Task.Reason)}\n");
        }

        AppendOutputs(text, view);
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>How many teardown operations of an undeploy succeeded, of those it runs (a node never created has nothing to tear down).</summary>
    public static (int Succeeded, int Total) Teardown(DeploymentView view)
    {
        var teardown = view.Nodes
            .SelectMany(n => n.Tasks.Where(t => t.Phase == TaskPhase.Teardown && !(t.Status == OperationStatus.Pending && n.Status == NodeStatus.TornDown)))
            .ToList();
        return (teardown.Count(t => t.Status == OperationStatus.Succeeded), teardown.Count);
    }

    /// <summary>How many lines of a failed attempt's stderr <c>status</c> shows under the failure (<c>orchestra logs</c> shows all that is kept).</summary>
    public const int FailureTailLines = 10;

    /// <param name="view">The deployment.</param>
    /// <param name="time">The clock for elapsed times.</param>
    /// <param name="failureOutput">The last attempt's output of each failed task, if read: its stderr tail is shown under the failure.</param>
    /// <param name="terminal">Whether the text goes to a terminal (a script's control characters are neutralised).</param>
    public static string Status(DeploymentView view, TimeProvider time, IReadOnlyDictionary<(string Node, string Operation, TaskPhase Phase), AttemptLog>? failureOutput = null, bool terminal = false)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{view.DeploymentId}  {view.Status}  ({view.PlanName}, run {view.Run}, submitted {view.SubmittedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}, phase {view.Phase})\n");
        if (!string.IsNullOrWhiteSpace(view.StatusReason))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Formats.OneLine(view.StatusReason)}\n");
        }

        var now = time.GetUtcNow();
        // Widths from every row and every state a row can take, so that the columns stay put from one `status` to the next.
        var width = Math.Max(4, view.Nodes.Select(n => n.Name.Length).DefaultIfEmpty(4).Max());
        var taskWidth = Math.Max(32, view.Nodes.SelectMany(n => n.Tasks).Select(t => Formats.TaskTitle(t).Length).DefaultIfEmpty(0).Max());
        foreach (var node in view.Nodes)
        {
            var elapsed = Formats.NodeElapsed(node, now) is { } e ? Formats.Duration(e) : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"\n  {node.Name.PadRight(width)}  {node.Status.ToString().PadRight(NodeStatusWidth)} {elapsed,7}  {Formats.OneLine(node.Reason)}\n");
            foreach (var task in node.Tasks)
            {
                var attempt = task.Attempt > 0 ? $" #{task.Attempt}" : string.Empty;
                var retry = task.Status == OperationStatus.RetryWaiting && task.RetryAt is { } retryAt ? "  " + Formats.RetryIn(retryAt, now) : string.Empty;
                var error = task.Status is OperationStatus.Failed or OperationStatus.RetryWaiting && task.Error is { } err ? "  " + Formats.OneLine(err) : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"    {Formats.TaskTitle(task).PadRight(taskWidth)} {task.Status.ToString().PadRight(OperationStatusWidth)}{attempt}{retry}{error}\n");
                if (task.Status == OperationStatus.Failed && failureOutput?.GetValueOrDefault((node.Name, task.Operation, task.Phase)) is { } failed)
                {
                    AppendFailureTail(text, failed, terminal);
                }

                foreach (var warning in task.Warnings ?? [])
                {
                    text.Append(CultureInfo.InvariantCulture, $"      warning: {Formats.OneLine(warning)}\n");
                }
            }
        }

        AppendOutputs(text, view);
        return text.ToString().TrimEnd('\n');
    }

    private static void AppendFailureTail(StringBuilder text, AttemptLog failed, bool terminal)
    {
        var (name, tail) = failed.Stderr is { } stderr ? ("stderr", stderr) : failed.Stdout is { } stdout ? ("stdout (stderr empty)", stdout) : (null, null);
        if (tail is null)
        {
            return;
        }

        var lines = tail.Text.Split('\n');
        var shown = lines.Length > FailureTailLines ? lines[^FailureTailLines..] : lines;
        var more = shown.Length < lines.Length || tail.Truncated ? $", last {shown.Length} lines; orchestra logs shows more" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"      {name} of attempt {failed.Attempt}{more}:\n");
        foreach (var line in shown)
        {
            text.Append(CultureInfo.InvariantCulture, $"      | {(terminal ? TerminalText.Neutralise(line) : line)}\n");
        }
    }

    public static string List(IReadOnlyList<DeploymentSummary> deployments)
    {
        if (deployments.Count == 0)
        {
            return "No deployments.";
        }

        var width = Math.Max(4, deployments.Max(d => d.DeploymentId.Length));
        var operations = Math.Max(10, deployments.Max(d => (d.Succeeded + "/" + d.Operations).Length));
        var status = Math.Max("STATUS".Length, DeploymentStatusWidth);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"NAME".PadRight(width)}  {"RUN",3}  {"STATUS".PadRight(status)} {"OPERATIONS".PadRight(operations)}  {"UPDATED",-19}  REASON\n");
        foreach (var d in deployments)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{d.DeploymentId.PadRight(width)}  {d.Run,3}  {d.Status.ToString().PadRight(status)} {(d.Succeeded + "/" + d.Operations).PadRight(operations)}  {d.UpdatedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {Formats.OneLine(d.StatusReason)}\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    public static string History(IReadOnlyList<HistoryItem> history)
    {
        var text = new StringBuilder();
        foreach (var h in history)
        {
            var where = h.Node is null ? string.Empty : h.Operation is null ? h.Node : $"{h.Node} {h.Operation}";
            var phase = h.Phase is { } p && p != TaskPhase.Deploy ? $" ({p.ToString().ToLowerInvariant()})" : string.Empty;
            var attempt = h.Attempt is { } a ? $" #{a}" : string.Empty;
            text.Append(CultureInfo.InvariantCulture,
                $"{h.SequenceNr,4}  {h.At.ToLocalTime():HH:mm:ss.fff}  {h.Kind,-26} {where}{phase}{attempt}{(string.IsNullOrWhiteSpace(h.Message) ? string.Empty : "  " + Formats.OneLine(h.Message))}\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    public static string Outputs(DeploymentView view)
    {
        if (view.Outputs.Count == 0)
        {
            return "(no outputs)";
        }

        return string.Join('\n', view.Outputs.Select(o => $"{o.Key}={Formats.Value(o.Value)}"));
    }

    private static void AppendOutputs(StringBuilder text, DeploymentView view)
    {
        if (view.Outputs.Count == 0 || view.Status != DeploymentStatus.Succeeded)
        {
            return;
        }

        text.Append("\nOutputs:\n");
        var width = view.Outputs.Keys.Max(k => k.Length);
        foreach (var (name, value) in view.Outputs)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name.PadRight(width)}  {Formats.Value(value)}\n");
        }
    }
}
