using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Functions;

/// <summary>get_property, get_attribute and get_operation_output: resolving SELF, SOURCE, TARGET, HOST and names.</summary>
internal sealed partial class FunctionEvaluator
{
    private const string HostedOn = "tosca.relationships.HostedOn";

    /// <summary>The node that <paramref name="node"/> is hosted on, if any.</summary>
    public static NodeTemplate? HostOf(NodeTemplate node) =>
        node.Requirements.FirstOrDefault(r => r.Target is not null && r.RelationshipType?.IsDerivedFrom(HostedOn) == true)?.Target;

    private NodeTemplate? ResolveEntity(FunctionCall call, YNode argument, EvaluationContext context, Func<NodeTemplate, bool>? hostHas)
    {
        var name = ArgText(argument);
        switch (name)
        {
            case null:
                Fail(call, ErrorCodes.InvalidFunction, "the first argument must be SELF, SOURCE, TARGET, HOST or a node template name");
                return null;
            case "SELF":
                if (context.InOutputs || context.Self is null)
                {
                    Fail(call, ErrorCodes.KeywordNotResolvable, $"SELF is not allowed in {context.Describe()}; name the node template instead");
                    return null;
                }

                return context.Self;
            case "SOURCE" or "TARGET":
                var node = name == "SOURCE" ? context.Source : context.Target;
                if (node is null)
                {
                    Fail(call, ErrorCodes.KeywordNotResolvable, $"{name} can only be used in the operations of a relationship, not in {context.Describe()}");
                }

                return node;
            case "HOST":
                if (context.InOutputs || context.Self is null)
                {
                    Fail(call, ErrorCodes.KeywordNotResolvable, $"HOST is not allowed in {context.Describe()}; name the node template instead");
                    return null;
                }

                var host = HostOf(context.Self);
                if (host is null)
                {
                    Fail(call, ErrorCodes.KeywordNotResolvable,
                        $"HOST was used in node template '{context.Self.Name}', but it has no {HostedOn} requirement, so it has no host");
                    return null;
                }

                var seen = new HashSet<NodeTemplate>();
                for (var h = host; h is not null && seen.Add(h); h = HostOf(h))
                {
                    if (hostHas is null || hostHas(h))
                    {
                        return h;
                    }
                }

                Fail(call, ErrorCodes.UnknownFunctionProperty,
                    $"no node in the hosting chain of node template '{context.Self.Name}' ({string.Join(" -> ", seen.Select(s => s.Name))}) has '{ArgText(call.Arguments.ElementAtOrDefault(1) ?? argument)}'");
                return null;
            default:
                if (topology.NodeTemplates.TryGetValue(name, out var template))
                {
                    return template;
                }

                Fail(call, ErrorCodes.UnknownFunctionTarget, $"node template '{name}' does not exist",
                    Suggestions.DidYouMean(name, topology.NodeTemplates.Keys));
                return null;
        }
    }

    private bool HasProperty(NodeTemplate node, string name) =>
        node.Type is { } type && (registry.AllProperties(type).ContainsKey(name) || registry.AllCapabilities(type).ContainsKey(name));

    private bool HasAttribute(NodeTemplate node, string name) =>
        node.Type is { } type && (registry.AllAttributes(type).ContainsKey(name) || registry.AllProperties(type).ContainsKey(name));

    private PlanValue? GetProperty(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count < 2 || call.Arguments.Skip(1).Any(a => ArgText(a) is null))
        {
            return Fail(call, ErrorCodes.InvalidFunction, "get_property expects [ entity, (capability or requirement,) property, nested names or indexes... ]");
        }

        var names = call.Arguments.Skip(1).Select(a => ArgText(a)!).ToList();
        if (ArgText(call.Arguments[0]) == "SELF" && context.Relationship is { } relationship && RelationshipProperty(relationship, names[0]) is { } relValue)
        {
            return WalkPath(call, Evaluate(relValue, context), call.Arguments.Skip(2), $"property '{names[0]}'");
        }

        if (RelationshipTemplateNamed(call.Arguments[0]) is { } relationshipTemplate)
        {
            return RelationshipTemplateValue(call, relationshipTemplate, names, attribute: false);
        }

        var node = ResolveEntity(call, call.Arguments[0], context, n => HasProperty(n, names[0]));
        if (node?.Type is not { } type)
        {
            return null;
        }

        if (registry.AllProperties(type).ContainsKey(names[0]))
        {
            return WalkPath(call, NodeProperty(node, names[0]), call.Arguments.Skip(2), $"property '{names[0]}' of node template '{node.Name}'");
        }

        if (registry.AllCapabilities(type).TryGetValue(names[0], out var capability))
        {
            return CapabilityProperty(call, node, capability, names, 2);
        }

        var requirement = node.Requirements.FirstOrDefault(r => r.Name == names[0] && r.Target is not null);
        if (requirement?.Target is { Type: { } targetType } target && names.Count >= 2)
        {
            var targetCapability = registry.AllCapabilities(targetType).Values
                .FirstOrDefault(c => c.Name == requirement.Capability || c.Name == requirement.Definition?.Capability
                    || (registry.Find(TypeKind.Capability, c.Type) is { } ct && (requirement.Capability ?? requirement.Definition?.Capability) is { } wanted && ct.IsDerivedFrom(registry.Find(TypeKind.Capability, wanted)?.Name ?? wanted)));
            if (targetCapability is not null && CapabilityProperties(targetCapability).ContainsKey(names[1]))
            {
                return CapabilityProperty(call, target, targetCapability, names, 2);
            }

            if (registry.AllProperties(targetType).ContainsKey(names[1]))
            {
                return WalkPath(call, NodeProperty(target, names[1]), call.Arguments.Skip(3), $"property '{names[1]}' of node template '{target.Name}'");
            }

            return Fail(call, ErrorCodes.UnknownFunctionProperty,
                $"property '{names[1]}' was not found on node template '{target.Name}' (the target of requirement '{names[0]}') or its capability");
        }

        return Fail(call, ErrorCodes.UnknownFunctionProperty,
            $"node template '{node.Name}' (type {type.Name}) has no property, capability or requirement '{names[0]}'",
            Suggestions.DidYouMean(names[0], registry.AllProperties(type).Keys.Concat(registry.AllCapabilities(type).Keys)));
    }

    private YNode? RelationshipProperty(RequirementAssignment relationship, string name) =>
        relationship.RelationshipProperties?[name] ?? relationship.RelationshipTemplate?.Properties?[name]
        ?? (relationship.RelationshipType is { } t && registry.AllProperties(t).TryGetValue(name, out var d) ? d.Default : null);

    private Dictionary<string, PropertyDefinition> CapabilityProperties(CapabilityDefinition capability)
    {
        var result = new Dictionary<string, PropertyDefinition>(StringComparer.Ordinal);
        if (registry.Find(TypeKind.Capability, capability.Type) is { } capabilityType)
        {
            foreach (var (k, v) in registry.AllProperties(capabilityType))
            {
                result[k] = v;
            }
        }

        foreach (var (k, v) in capability.Properties)
        {
            result[k] = result.TryGetValue(k, out var inherited) && v.Type == "any" ? inherited with { Default = v.Default ?? inherited.Default } : v;
        }

        return result;
    }

    private PlanValue? CapabilityProperty(FunctionCall call, NodeTemplate node, CapabilityDefinition capability, List<string> names, int pathStart)
    {
        if (names.Count < 2)
        {
            return Fail(call, ErrorCodes.InvalidFunction, $"name a property of capability '{capability.Name}' after it");
        }

        var properties = CapabilityProperties(capability);
        if (!properties.TryGetValue(names[1], out var definition))
        {
            return Fail(call, ErrorCodes.UnknownFunctionProperty,
                $"property '{names[1]}' was not found in capability '{capability.Name}' of node template '{node.Name}'",
                Suggestions.DidYouMean(names[1], properties.Keys));
        }

        var assigned = node.Capabilities.GetValueOrDefault(capability.Name)?.Properties?[names[1]];
        var value = Evaluate(assigned ?? definition.Default, new EvaluationContext(node));
        return WalkPath(call, value, call.Arguments.Skip(pathStart + 1), $"property '{names[1]}' of capability '{capability.Name}'");
    }

    /// <summary>The value of a node template's property: assigned, else its default, else null.</summary>
    public PlanValue? NodeProperty(NodeTemplate node, string name)
    {
        var key = (node, name);
        if (_propertyCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (!_inProgress.Add(key))
        {
            diagnostics.Error(ErrorCodes.InvalidFunction, node.Properties?.KeyNode(name)?.Location ?? node.Location,
                $"property '{name}' of node template '{node.Name}' refers to itself through get_property");
            return null;
        }

        var assigned = node.Properties?[name];
        var value = assigned ?? (node.Type is { } t && registry.AllProperties(t).TryGetValue(name, out var d) ? d.Default : null);
        var result = Evaluate(value, new EvaluationContext(node));
        _inProgress.Remove(key);
        _propertyCache[key] = result;
        return result;
    }

    private PlanValue? GetAttribute(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count < 2 || call.Arguments.Skip(1).Any(a => ArgText(a) is null))
        {
            return Fail(call, ErrorCodes.InvalidFunction, "get_attribute expects [ entity, (capability,) attribute, nested names or indexes... ]");
        }

        var names = call.Arguments.Skip(1).Select(a => ArgText(a)!).ToList();
        if (ArgText(call.Arguments[0]) == "SELF" && context is { Relationship: { } relationship, Source: { } source }
            && RelationshipAttribute(call, relationship, source, names, context) is { } relationshipValue)
        {
            return relationshipValue;
        }

        if (RelationshipTemplateNamed(call.Arguments[0]) is { } relationshipTemplate)
        {
            return RelationshipTemplateValue(call, relationshipTemplate, names, attribute: true);
        }

        var node = ResolveEntity(call, call.Arguments[0], context, n => HasAttribute(n, names[0]));
        if (node?.Type is not { } type)
        {
            return null;
        }

        if (AttributeReference(node, type, names) is { } reference)
        {
            return reference;
        }

        // [ SELF, requirement, attribute ]: the attribute of the requirement's target (or of one of its capabilities).
        if (names.Count >= 2 && node.Requirements.FirstOrDefault(r => r.Name == names[0] && r.Target is not null)?.Target is { Type: { } targetType } target
            && AttributeReference(target, targetType, names[1..]) is { } throughRequirement)
        {
            return throughRequirement;
        }

        var known = registry.AllAttributes(type).Keys.Concat(registry.AllProperties(type).Keys).Distinct().ToList();
        return Fail(call, ErrorCodes.UnknownFunctionProperty,
            $"attribute '{names[0]}' was not found in node template '{node.Name}' (type {type.Name}); it has: {string.Join(", ", known)}",
            Suggestions.DidYouMean(names[0], known));
    }

    // An attribute of the node, of one of its capabilities ([ capability, attribute ]), or a single name one of its capabilities has.
    private OutputReference? AttributeReference(NodeTemplate node, ToscaType type, List<string> names)
    {
        if (HasAttribute(node, names[0]))
        {
            return new OutputReference(node.Name, null, names[0], names.Count > 1 ? names[1..] : null);
        }

        if (registry.AllCapabilities(type).TryGetValue(names[0], out var capability) && names.Count >= 2
            && registry.Find(TypeKind.Capability, capability.Type) is { } capabilityType
            && (registry.AllAttributes(capabilityType).ContainsKey(names[1]) || CapabilityProperties(capability).ContainsKey(names[1]) || capability.Attributes.ContainsKey(names[1])))
        {
            return new OutputReference(node.Name, null, $"{names[0]}.{names[1]}", names.Count > 2 ? names[2..] : null);
        }

        // A single name may also be an attribute or property of one of the node's capabilities (Compute's endpoint port).
        if (names.Count == 1 && registry.AllCapabilities(type).Values.Any(c => registry.Find(TypeKind.Capability, c.Type) is { } ct
            && (registry.AllAttributes(ct).ContainsKey(names[0]) || registry.AllProperties(ct).ContainsKey(names[0]))))
        {
            return new OutputReference(node.Name, null, names[0]);
        }

        return null;
    }

    private PlanValue? GetOperationOutput(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count != 4 || call.Arguments.Any(a => ArgText(a) is null))
        {
            return Fail(call, ErrorCodes.InvalidFunction, "get_operation_output expects [ entity, interface, operation, output_name ]");
        }

        var node = ResolveEntity(call, call.Arguments[0], context, null);
        if (node?.Type is not { } type)
        {
            return null;
        }

        var interfaceName = ArgText(call.Arguments[1])!;
        var operation = ArgText(call.Arguments[2])!;
        var interfaces = registry.AllInterfaces(type);
        var key = interfaces.Keys.FirstOrDefault(k => k == interfaceName)
            ?? interfaces.FirstOrDefault(i => i.Value.TypeName is { } tn && registry.Find(TypeKind.Interface, tn) is { } it
                && registry.Find(TypeKind.Interface, interfaceName) is { } wanted && it == wanted).Key;
        if (key is null)
        {
            return Fail(call, ErrorCodes.UnknownFunctionProperty, $"node template '{node.Name}' has no interface '{interfaceName}'",
                Suggestions.DidYouMean(interfaceName, interfaces.Keys));
        }

        return new OutputReference(node.Name, $"{key}.{operation}", ArgText(call.Arguments[3])!);
    }
}
