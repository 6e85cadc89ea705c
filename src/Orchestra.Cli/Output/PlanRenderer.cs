using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestra.Cli.Clients;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Output;

/// <summary>Renders a compiled plan as text, JSON, Graphviz DOT or a Mermaid flowchart.</summary>
internal static class PlanRenderer
{
    public static string Render(DeploymentPlan plan, string format) => format switch
    {
        "json" => JsonSerializer.Serialize(plan, CliJson.Indented),
        "dot" => Dot(plan),
        "mermaid" => Mermaid(plan),
        _ => Text(plan),
    };

    private static string Text(DeploymentPlan plan)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"plan {plan.Name}: {plan.Nodes.Count} nodes, {plan.OperationCount} operations, on failure: {plan.FailureAction.ToString().ToLowerInvariant()}\n");
        if (plan.BaseDirectory is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"base directory: {plan.BaseDirectory}\n");
        }

        foreach (var name in PlanValidator.TopologicalOrder(plan))
        {
            var node = plan.FindNode(name)!;
            text.Append(CultureInfo.InvariantCulture, $"\n{node.Name}{(node.Type is null ? string.Empty : $" ({node.Type})")}");
            text.Append(node.DependsOn.Count == 0 ? "\n" : $"  after {string.Join(", ", node.DependsOn)}\n");
            if (node.FailureAction is { } action)
            {
                text.Append(CultureInfo.InvariantCulture, $"  on failure: {action.ToString().ToLowerInvariant()}\n");
            }

            foreach (var operation in node.Operations)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {operation.Name,-28} {operation.Implementation ?? "(nothing to run)"}{Details(operation)}\n");
            }

            foreach (var operation in node.Teardown)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {"teardown " + operation.Name,-28} {operation.Implementation ?? "(nothing to run)"}{Details(operation)}\n");
            }
        }

        if (plan.Outputs.Count > 0)
        {
            text.Append("\noutputs\n");
            foreach (var output in plan.Outputs)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {output.Name} = {output.Value}\n");
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string Details(PlanOperation operation)
    {
        var parts = new List<string>();
        if (operation.Retry is { MaxAttempts: > 1 } retry)
        {
            parts.Add($"retry {retry.MaxAttempts}x, {retry.Delay.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s {retry.Backoff.ToString().ToLowerInvariant()}");
        }

        if (operation.Timeout is { } timeout)
        {
            parts.Add($"timeout {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
        }

        if (operation.Revert is { } revert)
        {
            parts.Add($"revert {revert.Implementation ?? revert.Name}");
        }

        if (operation.After is { Count: > 0 } after)
        {
            parts.Add($"after {string.Join(", ", after)}");
        }

        return parts.Count == 0 ? string.Empty : $"  [{string.Join("; ", parts)}]";
    }

    private static string Dot(DeploymentPlan plan)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"digraph {Quote(plan.Name)} {{\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
        foreach (var node in plan.Nodes)
        {
            var operations = string.Join("\\n", node.Operations.Select(o => o.Name));
            text.Append(CultureInfo.InvariantCulture, $"  {Quote(node.Name)} [label={Quote(node.Name + (operations.Length == 0 ? string.Empty : "\\n" + operations))}];\n");
        }

        foreach (var (from, to) in Edges(plan))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Quote(from)} -> {Quote(to)};\n");
        }

        return text.Append('}').ToString();
    }

    private static string Mermaid(DeploymentPlan plan)
    {
        var ids = plan.Nodes.Select((n, i) => (n.Name, Id: $"n{i}")).ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal);
        var text = new StringBuilder("flowchart LR\n");
        foreach (var node in plan.Nodes)
        {
            var operations = string.Join("<br/>", node.Operations.Select(o => o.Name));
            text.Append(CultureInfo.InvariantCulture, $"  {ids[node.Name]}[\"{Escape(node.Name)}{(operations.Length == 0 ? string.Empty : "<br/><small>" + Escape(operations) + "</small>")}\"]\n");
        }

        foreach (var (from, to) in Edges(plan))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {ids[from]} --> {ids[to]}\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    private static IEnumerable<(string From, string To)> Edges(DeploymentPlan plan) =>
        plan.Nodes.SelectMany(n => n.DependsOn
                .Concat(n.Operations.SelectMany(o => o.After ?? []).Select(a => a.Node))
                .Where(d => plan.FindNode(d) is not null && d != n.Name)
                .Distinct(StringComparer.Ordinal)
                .Select(d => (d, n.Name)));

    // Labels carry "\n" line breaks on purpose, so only quotes are escaped.
    private static string Quote(string text) => "\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
}
