using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Types;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Validation;

/// <summary>Checks <c>substitution_mappings</c> and imperative <c>workflows</c> (parsed and validated; running them comes later).</summary>
internal sealed class StructureChecker(TopologyModel topology, TypeRegistry registry, DiagnosticBag diagnostics)
{
    private static readonly string[] SubstitutionKeys =
        ["node_type", "substitution_filter", "properties", "attributes", "capabilities", "requirements", "interfaces"];

    private static readonly string[] WorkflowKeys = ["description", "metadata", "inputs", "preconditions", "steps", "implementation", "outputs"];
    private static readonly string[] StepKeys = ["target", "target_relationship", "operation_host", "filter", "activities", "on_success", "on_failure"];

    public void Check()
    {
        if (topology.SubstitutionMappings is { } mappings)
        {
            CheckSubstitution(mappings);
        }

        foreach (var (name, value) in topology.Workflows?.Entries ?? [])
        {
            CheckWorkflow(name, value);
        }

        if (topology.Workflows is { Count: > 0 } workflows)
        {
            // A user coming from xOpera or Unfurl may expect a custom 'deploy' workflow to replace the declarative order.
            diagnostics.Warning(ErrorCodes.WorkflowsIgnored, topology.WorkflowsLocation,
                $"'workflows' ({string.Join(", ", workflows.Keys.Select(k => $"'{k}'"))}) is checked but ignored: Orchestra does not run imperative workflows; deploy and undeploy follow the order the requirements give, so express an order as a requirement (e.g. 'dependency') or remove the section");
        }
    }

    private void CheckSubstitution(YMapping mappings)
    {
        NodeReader.CheckKeys(mappings, SubstitutionKeys, diagnostics, "'substitution_mappings'");
        var typeName = NodeReader.String(mappings["node_type"], diagnostics, "'node_type' of 'substitution_mappings'");
        if (typeName is null)
        {
            diagnostics.Error(ErrorCodes.InvalidSubstitution, mappings.Location, "'substitution_mappings' is missing the required key 'node_type'");
            return;
        }

        var type = registry.Resolve(TypeKind.Node, typeName, mappings["node_type"]!.Location, diagnostics, "'node_type' of 'substitution_mappings'");
        if (type is null)
        {
            return;
        }

        foreach (var (section, names) in new[]
        {
            ("capabilities", registry.AllCapabilities(type).Keys.ToList()),
            ("requirements", registry.AllRequirements(type).Select(r => r.Name).ToList()),
            ("properties", registry.AllProperties(type).Keys.ToList()),
            ("attributes", registry.AllAttributes(type).Keys.Concat(registry.AllProperties(type).Keys).ToList()),
            ("interfaces", registry.AllInterfaces(type).Keys.ToList()),
        })
        {
            foreach (var (key, value) in NodeReader.Mapping(mappings[section], diagnostics, $"'{section}' of 'substitution_mappings'")?.Entries ?? [])
            {
                if (!names.Contains(key.Text))
                {
                    diagnostics.Error(ErrorCodes.InvalidSubstitution, key.Location,
                        $"'{section}' of 'substitution_mappings' maps '{key.Text}', which node type '{type.Name}' does not define",
                        Suggestions.DidYouMean(key.Text, names));
                }

                if (section is "capabilities" or "requirements" && value is YSequence { Items.Count: >= 1 } target
                    && target.Items[0] is YScalar node && !topology.NodeTemplates.ContainsKey(node.Text))
                {
                    diagnostics.Error(ErrorCodes.InvalidSubstitution, node.Location,
                        $"'{section}' of 'substitution_mappings' maps '{key.Text}' to node template '{node.Text}', which does not exist",
                        Suggestions.DidYouMean(node.Text, topology.NodeTemplates.Keys));
                }
            }
        }
    }

    private void CheckWorkflow(YScalar name, YNode value)
    {
        var what = $"workflow '{name.Text}'";
        var workflow = NodeReader.Mapping(value, diagnostics, what);
        if (workflow is null)
        {
            return;
        }

        NodeReader.CheckKeys(workflow, WorkflowKeys, diagnostics, what);
        var steps = NodeReader.Mapping(workflow["steps"], diagnostics, $"'steps' of {what}");
        var stepNames = steps?.Keys.ToList() ?? [];
        foreach (var (stepKey, stepValue) in steps?.Entries ?? [])
        {
            var stepWhat = $"step '{stepKey.Text}' of {what}";
            var step = NodeReader.Mapping(stepValue, diagnostics, stepWhat);
            if (step is null)
            {
                continue;
            }

            NodeReader.CheckKeys(step, StepKeys, diagnostics, stepWhat);
            var target = NodeReader.String(step["target"], diagnostics, $"'target' of {stepWhat}");
            if (target is null)
            {
                diagnostics.Error(ErrorCodes.InvalidWorkflow, stepKey.Location, $"{stepWhat} is missing the required key 'target'");
            }
            else if (!topology.NodeTemplates.ContainsKey(target) && !topology.Groups.ContainsKey(target))
            {
                diagnostics.Error(ErrorCodes.InvalidWorkflow, step["target"]!.Location, $"'target' of {stepWhat} is '{target}', which is not a node template or group",
                    Suggestions.DidYouMean(target, topology.NodeTemplates.Keys));
            }

            foreach (var key in new[] { "on_success", "on_failure" })
            {
                foreach (var next in NodeReader.StringList(step[key], diagnostics, $"'{key}' of {stepWhat}"))
                {
                    if (!stepNames.Contains(next))
                    {
                        diagnostics.Error(ErrorCodes.InvalidWorkflow, step[key]!.Location, $"'{key}' of {stepWhat} names step '{next}', which does not exist",
                            Suggestions.DidYouMean(next, stepNames));
                    }
                }
            }

            if (NodeReader.Sequence(step["activities"], diagnostics, $"'activities' of {stepWhat}") is null)
            {
                diagnostics.Error(ErrorCodes.InvalidWorkflow, stepKey.Location, $"{stepWhat} is missing the required key 'activities'");
            }
        }
    }
}
