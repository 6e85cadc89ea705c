using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using Orchestra.Tosca.Validation;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>
/// Resolves every requirement to a target node template and a relationship type: by template name, or by node
/// type, capability type and node_filter against the topology's own node templates (Orchestra has no inventory).
/// </summary>
/// <remarks>
/// When a type or filter matches several templates, the first in template order is used and a warning (TOS406)
/// says so, unless <see cref="ToscaCompilerOptions.AmbiguousRequirementIsError"/> makes it an error.
/// </remarks>
internal sealed class RequirementResolver(
    TopologyModel topology,
    TypeRegistry registry,
    DiagnosticBag diagnostics,
    ToscaCompilerOptions options,
    Func<FunctionCall, YNode?> resolveInput)
{
    private const string DependsOn = "tosca.relationships.DependsOn";

    public void ResolveAll()
    {
        foreach (var node in topology.NodeTemplates.Values)
        {
            if (node.Type is not { } type)
            {
                continue;
            }

            var definitions = registry.AllRequirements(type);
            foreach (var requirement in node.Requirements)
            {
                Resolve(node, type, requirement, definitions);
            }

            foreach (var definition in definitions)
            {
                var count = node.Requirements.Count(r => r.Name == definition.Name);
                if (count < definition.Occurrences.Min)
                {
                    FulfilDangling(node, type, definition, count);
                }
                else if (count > definition.Occurrences.Max)
                {
                    var extra = node.Requirements.Where(r => r.Name == definition.Name).Skip(definition.Occurrences.Max).First();
                    diagnostics.Error(ErrorCodes.RequirementOccurrences, extra.Location,
                        $"node template '{node.Name}' assigns requirement '{definition.Name}' {count} times, more than its occurrences {definition.Occurrences} allow");
                }
            }
        }
    }

    private void Resolve(NodeTemplate node, ToscaType type, RequirementAssignment requirement, IReadOnlyList<RequirementDefinition> definitions)
    {
        var what = $"requirement '{requirement.Name}' of node template '{node.Name}'";
        requirement.Definition = definitions.FirstOrDefault(d => d.Name == requirement.Name);
        if (requirement.Definition is null)
        {
            if (requirement.Node is null)
            {
                diagnostics.Error(ErrorCodes.UnknownRequirement, requirement.Location,
                    $"node type '{type.Name}' defines no requirement '{requirement.Name}', and the assignment names no node; defined requirements: {string.Join(", ", definitions.Select(d => d.Name).Distinct())}",
                    Suggestions.DidYouMean(requirement.Name, definitions.Select(d => d.Name)));
                return;
            }

            diagnostics.Warning(ErrorCodes.UnknownRequirement, requirement.Location,
                $"node type '{type.Name}' defines no requirement '{requirement.Name}'; it is kept as a dependency on '{requirement.Node}'",
                Suggestions.DidYouMean(requirement.Name, definitions.Select(d => d.Name)));
        }

        ResolveRelationship(requirement, what);
        var wantedCapability = requirement.Capability ?? requirement.Definition?.Capability;
        var wantedNodeType = requirement.Definition?.Node;
        if (requirement.Node is { } nodeName)
        {
            if (topology.NodeTemplates.TryGetValue(nodeName, out var target))
            {
                requirement.Target = target;
                CheckTarget(node, requirement, target, wantedCapability, wantedNodeType, what);
                return;
            }

            if (registry.Find(TypeKind.Node, nodeName) is null)
            {
                diagnostics.Error(ErrorCodes.UnknownNodeTemplate, requirement.NodeLocation,
                    $"{what} names node template '{nodeName}', which does not exist in the topology",
                    Suggestions.DidYouMean(nodeName, topology.NodeTemplates.Keys));
                return;
            }

            wantedNodeType = nodeName;
        }

        var filter = requirement.NodeFilter ?? requirement.Definition?.NodeFilter;
        if (requirement.Node is null && requirement.NodeFilter is null && requirement.Capability is null)
        {
            // A requirement listed without a target: match by the definition's node and capability types.
            if (wantedNodeType is null && wantedCapability is null)
            {
                diagnostics.Error(ErrorCodes.UnknownRequirement, requirement.Location, $"{what} names no node, capability or node_filter to resolve it");
                return;
            }
        }

        Select(node, requirement, wantedNodeType, wantedCapability, filter, what);
    }

    // TOSCA 1.3 7.2.1.1: a requirement the template leaves open (fewer assignments than its minimum occurrences) is fulfilled
    // against the topology by the definition's capability, node type and node_filter. Unlike a requirement the template lists
    // without a target, a choice among several is not guessed: the template must say which.
    private void FulfilDangling(NodeTemplate node, ToscaType type, RequirementDefinition definition, int assigned)
    {
        var needed = definition.Occurrences.Min - assigned;
        var opening = $"node template '{node.Name}' assigns requirement '{definition.Name}' of node type '{type.Name}' {assigned} time(s), fewer than its occurrences {definition.Occurrences} require";
        if (definition.Node is null && definition.Capability is null && definition.NodeFilter is null)
        {
            diagnostics.Error(ErrorCodes.RequirementOccurrences, node.Location, $"{opening}, and the definition names no node, capability or node_filter to fulfil it from the topology; assign it");
            return;
        }

        var nodeType = definition.Node is null ? null : registry.Find(TypeKind.Node, definition.Node);
        if (definition.Node is not null && nodeType is null)
        {
            return;
        }

        var taken = node.Requirements.Where(r => r.Name == definition.Name).Select(r => r.Target).ToHashSet();
        var candidates = topology.NodeTemplates.Values
            .Where(n => n != node && n.Type is not null && !taken.Contains(n))
            .Where(n => nodeType is null || n.Type!.IsDerivedFrom(nodeType))
            .Where(n => definition.Capability is null || FindCapability(n, definition.Capability) is not null)
            .Where(n => definition.NodeFilter is null || NodeFilter.Matches(n, definition.NodeFilter, registry, resolveInput))
            .OrderBy(n => n.Index)
            .ToList();
        if (candidates.Count != needed)
        {
            // A node template whose type did not resolve has its own error, and may be the one meant: do not add a second.
            if (candidates.Count < needed && topology.NodeTemplates.Values.Any(n => n != node && n.Type is null))
            {
                return;
            }

            var criteria = string.Join(", ", new[]
            {
                definition.Node is null ? null : $"node type {definition.Node}",
                definition.Capability is null ? null : $"capability {definition.Capability}",
                definition.NodeFilter is null ? null : $"node_filter {Constraint.Render(definition.NodeFilter)}",
            }.Where(c => c is not null));
            var found = candidates.Count == 0
                ? $"no node template in the topology satisfies {criteria} (Orchestra has no inventory to pick from)"
                : $"{candidates.Count} node templates satisfy {criteria} ({string.Join(", ", candidates.Select(c => c.Name))}), where {needed} {(needed == 1 ? "is" : "are")} needed";
            diagnostics.Error(ErrorCodes.RequirementOccurrences, node.Location,
                $"{opening}, and {found}; assign it{(candidates.Count > needed ? " to the one meant" : ", or add a node template that satisfies it")}");
            return;
        }

        foreach (var target in candidates)
        {
            var requirement = new RequirementAssignment(definition.Name, node.Location) { NodeLocation = node.Location, Definition = definition, Target = target };
            ResolveRelationship(requirement, $"requirement '{definition.Name}' of node template '{node.Name}'");
            node.Requirements.Add(requirement);
        }
    }

    private void Select(NodeTemplate node, RequirementAssignment requirement, string? nodeType, string? capability, YNode? filter, string what)
    {
        var nodeTypeResolved = nodeType is null ? null : registry.Find(TypeKind.Node, nodeType);
        var candidates = topology.NodeTemplates.Values
            .Where(n => n != node && n.Type is not null)
            .Where(n => nodeTypeResolved is null || n.Type!.IsDerivedFrom(nodeTypeResolved))
            .Where(n => capability is null || FindCapability(n, capability) is not null)
            .Where(n => filter is null || NodeFilter.Matches(n, filter, registry, resolveInput))
            .OrderBy(n => n.Index)
            .ToList();
        var criteria = string.Join(", ", new[]
        {
            nodeType is null ? null : $"node type {nodeType}",
            capability is null ? null : $"capability {capability}",
            filter is null ? null : $"node_filter {Constraint.Render(filter)}",
        }.Where(c => c is not null));
        if (candidates.Count == 0)
        {
            // A node template whose type did not resolve has its own error, and may be the one meant: do not add a second.
            if (topology.NodeTemplates.Values.Any(n => n != node && n.Type is null))
            {
                return;
            }

            diagnostics.Error(ErrorCodes.UnsatisfiedRequirement, requirement.Location,
                $"{what}: no node template in the topology satisfies {criteria} (Orchestra has no inventory to pick from; add a node template that does)");
            return;
        }

        if (candidates.Count > 1)
        {
            var message = $"{what}: {candidates.Count} node templates satisfy {criteria} ({string.Join(", ", candidates.Select(c => c.Name))}); using '{candidates[0].Name}'";
            if (options.AmbiguousRequirementIsError)
            {
                diagnostics.Error(ErrorCodes.AmbiguousRequirement, requirement.Location, message);
            }
            else
            {
                diagnostics.Warning(ErrorCodes.AmbiguousRequirement, requirement.Location, message);
            }
        }

        requirement.Target = candidates[0];
    }

    private void ResolveRelationship(RequirementAssignment requirement, string what)
    {
        if (requirement.Relationship is { } name)
        {
            if (topology.RelationshipTemplates.TryGetValue(name, out var template))
            {
                requirement.RelationshipTemplate = template;
                requirement.RelationshipType = template.Type ?? (template.TypeName is null ? null : registry.Find(TypeKind.Relationship, template.TypeName));
                return;
            }

            requirement.RelationshipType = registry.Find(TypeKind.Relationship, name);
            if (requirement.RelationshipType is null)
            {
                diagnostics.Error(ErrorCodes.UnknownRelationshipTemplate, requirement.RelationshipLocation,
                    $"'relationship' of {what} is '{name}', which is neither a relationship template nor a relationship type",
                    Suggestions.DidYouMean(name, topology.RelationshipTemplates.Keys.Concat(registry.Names(TypeKind.Relationship))));
            }

            return;
        }

        // An unknown type that the definition names is reported where the definition is written (DefinitionChecker), once.
        requirement.RelationshipType = registry.Find(TypeKind.Relationship, requirement.Definition?.Relationship ?? DependsOn);
    }

    private void CheckTarget(NodeTemplate node, RequirementAssignment requirement, NodeTemplate target, string? capability, string? nodeType, string what)
    {
        if (target.Type is null)
        {
            return;
        }

        if (target == node)
        {
            diagnostics.Error(ErrorCodes.IncompatibleTarget, requirement.NodeLocation, $"{what} names the node template itself");
            return;
        }

        if (capability is not null && FindCapability(target, capability) is null)
        {
            if (registry.Find(TypeKind.Capability, capability) is null && !registry.AllCapabilities(target.Type).ContainsKey(capability))
            {
                if (requirement.Capability is not null)
                {
                    // One the definition names is reported where the definition is written (DefinitionChecker), once.
                    registry.Resolve(TypeKind.Capability, capability, requirement.Definition?.Location ?? requirement.Location, diagnostics, $"capability of {what}");
                }

                return;
            }

            // tosca-parser accepts a target named explicitly whatever it offers; say so, but do not refuse it.
            var offered = registry.AllCapabilities(target.Type).Values.Select(c => $"{c.Name} ({c.Type})");
            diagnostics.Warning(ErrorCodes.IncompatibleTarget, requirement.NodeLocation,
                $"{what} needs a capability of type {capability}, but node template '{target.Name}' (type {target.Type.Name}) offers none; it offers: {string.Join(", ", offered)}");
            return;
        }

        // Unlike a missing capability (which tosca-parser lets pass), a target of another node type is refused: the requirement
        // definition says what the node needs, and a node template of an unrelated type cannot be it.
        if (nodeType is not null && registry.Find(TypeKind.Node, nodeType) is { } expected && !target.Type.IsDerivedFrom(expected))
        {
            diagnostics.Error(ErrorCodes.IncompatibleTarget, requirement.NodeLocation,
                $"{what} needs a node of type {expected.Name} (or one derived from it), but node template '{target.Name}' is a {target.Type.Name}; name a node template of that type, or change the requirement definition's 'node'");
        }
    }

    /// <summary>A capability of <paramref name="node"/> with the given name, or whose type derives from the given type.</summary>
    public CapabilityDefinition? FindCapability(NodeTemplate node, string capability)
    {
        if (node.Type is not { } type)
        {
            return null;
        }

        var capabilities = registry.AllCapabilities(type);
        if (capabilities.TryGetValue(capability, out var byName))
        {
            return byName;
        }

        var wanted = registry.Find(TypeKind.Capability, capability);
        return wanted is null
            ? null
            : capabilities.Values.FirstOrDefault(c => registry.Find(TypeKind.Capability, c.Type)?.IsDerivedFrom(wanted) == true);
    }
}
