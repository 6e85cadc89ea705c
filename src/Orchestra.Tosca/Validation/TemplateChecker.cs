using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Validation;

/// <summary>Checks the templates of a topology against their types: properties, capabilities, interfaces, groups, policies.</summary>
internal sealed class TemplateChecker(TopologyModel topology, TypeRegistry registry, ValueValidator values, DiagnosticBag diagnostics)
{
    public void Check()
    {
        foreach (var (name, input) in topology.Inputs)
        {
            if (!registry.IsKnownDataType(input.Type))
            {
                values.Check(new YScalar(input.Location, string.Empty, ScalarKind.Null, true), input.Schema, $"input '{name}'");
            }
            else if (input.Default is { } d && d is not YScalar { IsNull: true })
            {
                values.Check(d, input.Schema, $"the default of input '{name}'");
            }
        }

        foreach (var node in topology.NodeTemplates.Values)
        {
            CheckNode(node);
        }

        foreach (var relationship in topology.RelationshipTemplates.Values)
        {
            if (relationship.TypeName is { } typeName)
            {
                relationship.Type = registry.Resolve(TypeKind.Relationship, typeName, relationship.Location, diagnostics, $"'type' of relationship template '{relationship.Name}'");
            }

            if (relationship.Type is { } type)
            {
                values.CheckAssignments(relationship.Properties, registry.AllProperties(type), $"relationship template '{relationship.Name}'", relationship.Location, "property", checkRequired: true);
            }
        }

        foreach (var group in topology.Groups.Values)
        {
            CheckGroupOrPolicy(group);
        }

        foreach (var policy in topology.Policies)
        {
            CheckGroupOrPolicy(policy);
        }
    }

    private void CheckNode(NodeTemplate node)
    {
        if (node.TypeName is null)
        {
            return;
        }

        node.Type = registry.Resolve(TypeKind.Node, node.TypeName, node.TypeLocation, diagnostics, $"'type' of node template '{node.Name}'");
        if (node.Type?.HasBrokenDerivation == true)
        {
            // Its properties, capabilities and attributes are unknown beyond the break: treated as a type that did not resolve,
            // so that the one error at the derivation is not followed by others about this node and those that use it.
            node.Type = null;
        }

        if (node.Type is not { } type)
        {
            return;
        }

        var owner = $"node template '{node.Name}'";
        values.CheckAssignments(node.Properties, registry.AllProperties(type), owner, node.Location, "property", checkRequired: true);
        var attributes = registry.AllAttributes(type).Concat(registry.AllProperties(type).Where(p => !registry.AllAttributes(type).ContainsKey(p.Key)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        values.CheckAssignments(node.Attributes, attributes, owner, node.Location, "attribute", checkRequired: false);
        var capabilities = registry.AllCapabilities(type);
        foreach (var (name, assignment) in node.Capabilities)
        {
            if (!capabilities.TryGetValue(name, out var definition))
            {
                diagnostics.Error(ErrorCodes.UnknownCapability, assignment.Location,
                    $"{owner} assigns capability '{name}', which node type '{type.Name}' does not define; it defines: {string.Join(", ", capabilities.Keys)}",
                    Suggestions.DidYouMean(name, capabilities.Keys));
                continue;
            }

            if (registry.Find(TypeKind.Capability, definition.Type) is not { } capabilityType)
            {
                continue;
            }

            var properties = registry.AllProperties(capabilityType).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            foreach (var (k, v) in definition.Properties)
            {
                properties[k] = properties.TryGetValue(k, out var inherited) && v.Type == "any" ? inherited with { Default = v.Default ?? inherited.Default } : v;
            }

            values.CheckAssignments(assignment.Properties, properties, $"capability '{name}' of {owner}", assignment.Location, "property", checkRequired: false);
        }

        CheckInterfaces(node, type, owner);
    }

    private void CheckInterfaces(NodeTemplate node, ToscaType type, string owner)
    {
        var interfaces = registry.AllInterfaces(type);
        foreach (var (name, assignment) in node.Interfaces)
        {
            if (!interfaces.TryGetValue(name, out var definition))
            {
                diagnostics.Error(ErrorCodes.UnknownOperation, assignment.Location,
                    $"{owner} assigns interface '{name}', which node type '{type.Name}' does not define; it defines: {string.Join(", ", interfaces.Keys)}",
                    Suggestions.DidYouMean(name, interfaces.Keys));
                continue;
            }

            var known = OperationsOf(definition);
            foreach (var (opName, operation) in assignment.Operations)
            {
                if (!known.Contains(opName))
                {
                    diagnostics.Error(ErrorCodes.UnknownOperation, operation.Location,
                        $"interface '{name}' of {owner} has no operation '{opName}'; its operations are: {string.Join(", ", known)}",
                        Suggestions.DidYouMean(opName, known));
                }
            }
        }
    }

    /// <summary>The operations an interface definition allows: its type's (inherited) plus those it defines itself.</summary>
    public HashSet<string> OperationsOf(InterfaceDefinition definition)
    {
        var known = new HashSet<string>(definition.Operations.Keys, StringComparer.Ordinal);
        var typeName = definition.TypeName ?? definition.Name;
        if (registry.Find(TypeKind.Interface, typeName) is { } interfaceType)
        {
            known.UnionWith(registry.AllOperations(interfaceType).Keys);
        }
        else if (definition.TypeName is { } declared)
        {
            registry.Resolve(TypeKind.Interface, declared, definition.Location, diagnostics, $"'type' of interface '{definition.Name}'");
        }

        return known;
    }

    private void CheckGroupOrPolicy(GroupOrPolicy item)
    {
        var kind = item.IsPolicy ? TypeKind.Policy : TypeKind.Group;
        var what = $"{(item.IsPolicy ? "policy" : "group")} '{item.Name}'";
        if (item.TypeName is { } typeName)
        {
            item.Type = registry.Resolve(kind, typeName, item.TypeLocation, diagnostics, $"'type' of {what}");
        }

        if (item.Type is { } type)
        {
            values.CheckAssignments(item.Properties, registry.AllProperties(type), what, item.Location, "property", checkRequired: true);
        }

        foreach (var target in item.Targets)
        {
            var isNode = topology.NodeTemplates.ContainsKey(target.Text);
            var isGroup = item.IsPolicy && topology.Groups.ContainsKey(target.Text);
            if (!isNode && !isGroup)
            {
                var candidates = item.IsPolicy ? topology.NodeTemplates.Keys.Concat(topology.Groups.Keys) : topology.NodeTemplates.Keys;
                diagnostics.Error(ErrorCodes.InvalidTarget, target.Location,
                    $"{what} {(item.IsPolicy ? "targets" : "has member")} '{target.Text}', which is not a node template{(item.IsPolicy ? " or group" : string.Empty)} of the topology",
                    Suggestions.DidYouMean(target.Text, candidates));
            }
        }
    }
}
