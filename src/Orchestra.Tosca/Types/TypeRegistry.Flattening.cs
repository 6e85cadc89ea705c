namespace Orchestra.Tosca.Types;

/// <summary>The effective definitions of a type: its own merged over its ancestors'.</summary>
internal sealed partial class TypeRegistry
{
    public IReadOnlyDictionary<string, PropertyDefinition> AllProperties(ToscaType type) => Flatten(type).Properties;

    public IReadOnlyDictionary<string, PropertyDefinition> AllAttributes(ToscaType type) => Flatten(type).Attributes;

    public IReadOnlyDictionary<string, CapabilityDefinition> AllCapabilities(ToscaType type) => Flatten(type).Capabilities;

    public IReadOnlyList<RequirementDefinition> AllRequirements(ToscaType type) => Flatten(type).Requirements;

    public InterfaceSet AllInterfaces(ToscaType type) => Flatten(type).Interfaces;

    /// <summary>Interface types: every operation, inherited ones included.</summary>
    public IReadOnlyDictionary<string, OperationDefinition> AllOperations(ToscaType type) => Flatten(type).Operations;

    public IReadOnlyList<string> AllValidTypes(ToscaType type)
    {
        foreach (var t in type.Ancestry())
        {
            if (t.ValidTypes.Count > 0)
            {
                return t.ValidTypes;
            }
        }

        return [];
    }

    private Flattened Flatten(ToscaType type)
    {
        if (_flattened.TryGetValue(type, out var cached))
        {
            return cached;
        }

        var result = new Flattened();
        if (type.Parent is { } parent)
        {
            var p = Flatten(parent);
            foreach (var (k, v) in p.Properties)
            {
                result.Properties[k] = v;
            }

            foreach (var (k, v) in p.Attributes)
            {
                result.Attributes[k] = v;
            }

            foreach (var (k, v) in p.Capabilities)
            {
                result.Capabilities[k] = v;
            }

            result.Requirements.AddRange(p.Requirements);
            foreach (var (k, v) in p.Interfaces)
            {
                result.Interfaces[k] = v;
            }

            foreach (var (k, v) in p.Operations)
            {
                result.Operations[k] = v;
            }
        }

        foreach (var (k, v) in type.Properties)
        {
            result.Properties[k] = v.IsRefinement && result.Properties.TryGetValue(k, out var inherited) ? inherited with { Default = v.Default }
                : v.RefinesWithoutType && result.Properties.TryGetValue(k, out var refined) ? v.RefineOver(refined)
                : v;
        }

        foreach (var (k, v) in type.Attributes)
        {
            result.Attributes[k] = v.RefinesWithoutType && result.Attributes.TryGetValue(k, out var refined) ? v.RefineOver(refined) : v;
        }

        foreach (var (k, v) in type.Capabilities)
        {
            // A refinement that leaves out the type keeps the parent's.
            result.Capabilities[k] = result.Capabilities.TryGetValue(k, out var inherited) && string.IsNullOrEmpty(v.Type)
                ? v with { Type = inherited.Type }
                : v;
        }

        foreach (var requirement in type.Requirements)
        {
            var i = result.Requirements.FindIndex(r => r.Name == requirement.Name);
            if (i >= 0)
            {
                var inherited = result.Requirements[i];
                result.Requirements[i] = requirement with
                {
                    Capability = requirement.Capability ?? inherited.Capability,
                    Node = requirement.Node ?? inherited.Node,
                    Relationship = requirement.Relationship ?? inherited.Relationship,
                };
            }
            else
            {
                result.Requirements.Add(requirement);
            }
        }

        foreach (var (name, own) in type.Interfaces)
        {
            result.Interfaces[name] = result.Interfaces.TryGetValue(name, out var inherited) ? Merge(inherited, own) : own;
        }

        foreach (var (k, v) in type.Operations)
        {
            result.Operations[k] = v;
        }

        _flattened[type] = result;
        return result;
    }

    /// <summary>Merges an interface refinement over the inherited definition (operations and inputs by name).</summary>
    public static InterfaceDefinition Merge(InterfaceDefinition inherited, InterfaceDefinition own)
    {
        var merged = new InterfaceDefinition(own.Name, own.Location) { TypeName = own.TypeName ?? inherited.TypeName };
        foreach (var (k, v) in inherited.Inputs)
        {
            merged.Inputs[k] = v;
        }

        foreach (var (k, v) in own.Inputs)
        {
            merged.Inputs[k] = v;
        }

        foreach (var (k, v) in inherited.Operations)
        {
            merged.Operations[k] = v;
        }

        foreach (var (k, v) in own.Operations)
        {
            merged.Operations[k] = inherited.Operations.TryGetValue(k, out var baseOp) ? MergeOperation(baseOp, v) : v;
        }

        return merged;
    }

    /// <summary>An operation refinement: the new implementation (if any) replaces the old; inputs merge by name.</summary>
    public static OperationDefinition MergeOperation(OperationDefinition inherited, OperationDefinition own)
    {
        var merged = new OperationDefinition(own.Name, own.Location)
        {
            Description = own.Description ?? inherited.Description,
            Implementation = own.Implementation ?? inherited.Implementation,
            IsNotification = own.IsNotification || inherited.IsNotification,
        };
        foreach (var (k, v) in inherited.Inputs)
        {
            merged.Inputs[k] = v;
        }

        foreach (var (k, v) in own.Inputs)
        {
            merged.Inputs[k] = v;
        }

        return merged;
    }

    private sealed class Flattened
    {
        public Dictionary<string, PropertyDefinition> Properties { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, PropertyDefinition> Attributes { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, CapabilityDefinition> Capabilities { get; } = new(StringComparer.Ordinal);

        public List<RequirementDefinition> Requirements { get; } = [];

        public InterfaceSet Interfaces { get; } = [];

        public Dictionary<string, OperationDefinition> Operations { get; } = new(StringComparer.Ordinal);
    }
}
