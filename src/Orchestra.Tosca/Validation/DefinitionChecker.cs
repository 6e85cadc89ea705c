using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Validation;

/// <summary>
/// Checks the definitions of the types a template defines or imports where they are written, whether or not a template uses
/// them: every type they name must exist (property, attribute and parameter types with their entry and key schemas, capability,
/// requirement, interface types, <c>valid_source_types</c>, <c>valid_target_types</c>, group members, policy targets), and every
/// default must fit its definition.
/// </summary>
/// <remarks>The built-in types are not checked (they are known to be consistent). Each unknown type is one error, at its name.</remarks>
internal sealed class DefinitionChecker(TypeRegistry registry, ValueValidator values, DiagnosticBag diagnostics)
{
    public void Check()
    {
        foreach (var kind in Enum.GetValues<TypeKind>())
        {
            foreach (var type in registry.All(kind).Where(t => !t.IsBuiltIn).ToList())
            {
                CheckType(type);
            }
        }
    }

    private void CheckType(ToscaType type)
    {
        var owner = $"{TypeRegistry.KindName(type.Kind)} '{type.Name}'";
        CheckDefinitions(type.Properties, n => $"property '{n}' of {owner}");
        CheckDefinitions(type.Attributes, n => $"attribute '{n}' of {owner}");
        if (type.EntrySchema is { } entry)
        {
            values.CheckSchema(entry, $"'entry_schema' of {owner}");
        }

        switch (type.Kind)
        {
            case TypeKind.Capability:
                CheckNames(type.ValidTypes, type.ValidTypesLocation ?? type.Location, $"'valid_source_types' of {owner}", TypeKind.Node, TypeKind.Capability);
                break;
            case TypeKind.Relationship:
                CheckNames(type.ValidTypes, type.ValidTypesLocation ?? type.Location, $"'valid_target_types' of {owner}", TypeKind.Capability, TypeKind.Node);
                CheckInterfaces(type.Interfaces, owner);
                break;
            case TypeKind.Node or TypeKind.Group:
                CheckCapabilities(type, owner);
                CheckRequirements(type, owner);
                CheckInterfaces(type.Interfaces, owner);
                if (type.Kind == TypeKind.Group)
                {
                    CheckNames(type.ValidTypes, type.ValidTypesLocation ?? type.Location, $"'members' of {owner}", TypeKind.Node, TypeKind.Group);
                }

                break;
            case TypeKind.Policy:
                CheckNames(type.ValidTypes, type.ValidTypesLocation ?? type.Location, $"'targets' of {owner}", TypeKind.Node, TypeKind.Group);
                break;
            case TypeKind.Interface:
                CheckParameters(type.InterfaceInputs, n => $"input '{n}' of {owner}");
                foreach (var operation in type.Operations.Values)
                {
                    CheckParameters(operation.Inputs, n => $"input '{n}' of operation '{operation.Name}' of {owner}");
                }

                break;
        }
    }

    private void CheckDefinitions(IReadOnlyDictionary<string, PropertyDefinition> definitions, Func<string, string> what)
    {
        foreach (var (name, definition) in definitions)
        {
            values.CheckDefinition(definition, what(name));
        }
    }

    private void CheckParameters(Dictionary<string, ParameterNode> parameters, Func<string, string> what)
    {
        foreach (var (name, parameter) in parameters)
        {
            if (parameter.Definition is { } definition)
            {
                values.CheckDefinition(definition, what(name));
            }
        }
    }

    private void CheckCapabilities(ToscaType type, string owner)
    {
        foreach (var (name, capability) in type.Capabilities)
        {
            var what = $"capability '{name}' of {owner}";
            // A refinement in a derived type may leave the type out; the inherited one applies.
            if (capability.Type.Length > 0)
            {
                Resolve(TypeKind.Capability, capability.Type, capability.Location, $"'type' of {what}");
            }

            CheckDefinitions(capability.Properties, n => $"property '{n}' of {what}");
            CheckDefinitions(capability.Attributes, n => $"attribute '{n}' of {what}");
            CheckNames(capability.ValidSourceTypes, capability.Location, $"'valid_source_types' of {what}", TypeKind.Node, TypeKind.Capability);
        }
    }

    private void CheckRequirements(ToscaType type, string owner)
    {
        foreach (var requirement in type.Requirements)
        {
            var what = $"requirement '{requirement.Name}' of {owner}";
            if (requirement.Capability is { } capability)
            {
                Resolve(TypeKind.Capability, capability, requirement.Location, $"'capability' of {what}");
            }

            if (requirement.Node is { } node)
            {
                Resolve(TypeKind.Node, node, requirement.Location, $"'node' of {what}");
            }

            if (requirement.Relationship is { } relationship)
            {
                Resolve(TypeKind.Relationship, relationship, requirement.Location, $"'relationship' of {what}");
            }

            if (requirement.RelationshipInterfaces is { } interfaces)
            {
                CheckInterfaces(interfaces, what);
            }
        }
    }

    private void CheckInterfaces(InterfaceSet interfaces, string owner)
    {
        foreach (var (name, definition) in interfaces)
        {
            var what = $"interface '{name}' of {owner}";
            if (definition.TypeName is { } typeName)
            {
                Resolve(TypeKind.Interface, typeName, definition.Location, $"'type' of {what}");
            }

            CheckParameters(definition.Inputs, n => $"input '{n}' of {what}");
            foreach (var operation in definition.Operations.Values)
            {
                CheckParameters(operation.Inputs, n => $"input '{n}' of operation '{operation.Name}' of {what}");
            }
        }
    }

    private void Resolve(TypeKind kind, string name, SourceLocation location, string usedFor)
    {
        if (registry.Find(kind, name) is null)
        {
            registry.Resolve(kind, name, location, diagnostics, usedFor);
        }
    }

    // Names that may be of either kind (TOSCA 1.3 says node types for sources, capability types for targets; templates written for
    // earlier versions use the other): an error only when a name is neither.
    private void CheckNames(IReadOnlyList<string> names, SourceLocation location, string what, TypeKind kind, TypeKind alternative)
    {
        foreach (var name in names)
        {
            if (registry.Find(kind, name) is null && registry.Find(alternative, name) is null)
            {
                diagnostics.Error(ErrorCodes.UnknownType, location,
                    $"{what} names '{name}', which is not a defined {TypeRegistry.KindName(kind)} or {TypeRegistry.KindName(alternative)}",
                    Suggestions.DidYouMean(name, registry.Names(kind).Concat(registry.Names(alternative))));
            }
        }
    }
}
