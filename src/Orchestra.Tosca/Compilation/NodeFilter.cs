using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using Orchestra.Tosca.Validation;

namespace Orchestra.Tosca.Compilation;

/// <summary>Matches node templates against a <c>node_filter</c> (property and capability-property constraints).</summary>
internal static class NodeFilter
{
    public static bool Matches(NodeTemplate node, YNode filter, TypeRegistry registry, Func<FunctionCall, YNode?> resolveInput)
    {
        if (filter is not YMapping mapping || node.Type is not { } type)
        {
            return false;
        }

        if (!PropertiesMatch(mapping["properties"], registry.AllProperties(type), name => node.Properties?[name], registry, resolveInput))
        {
            return false;
        }

        foreach (var (capName, capFilter) in NodeReader.NamedEntries(mapping["capabilities"], new DiagnosticBag(), "capabilities"))
        {
            var capabilities = registry.AllCapabilities(type);
            var capability = capabilities.GetValueOrDefault(capName.Text)
                ?? capabilities.Values.FirstOrDefault(c => registry.Find(TypeKind.Capability, c.Type) is { } ct && registry.Find(TypeKind.Capability, capName.Text) is { } wanted && ct.IsDerivedFrom(wanted));
            if (capability is null || registry.Find(TypeKind.Capability, capability.Type) is not { } capabilityType)
            {
                return false;
            }

            // A value the node type's capability definition gives counts as the capability's default.
            var assigned = node.Capabilities.GetValueOrDefault(capability.Name)?.Properties;
            if (!PropertiesMatch((capFilter as YMapping)?["properties"], registry.AllProperties(capabilityType),
                name => assigned?[name] ?? capability.Properties.GetValueOrDefault(name)?.Default, registry, resolveInput))
            {
                return false;
            }
        }

        return true;
    }

    private static bool PropertiesMatch(
        YNode? filters,
        IReadOnlyDictionary<string, PropertyDefinition> definitions,
        Func<string, YNode?> valueOf,
        TypeRegistry registry,
        Func<FunctionCall, YNode?> resolveInput)
    {
        var scratch = new DiagnosticBag();
        var reader = new DefinitionReader(scratch);
        foreach (var (name, clauses) in NodeReader.NamedEntries(filters, scratch, "properties"))
        {
            var definition = definitions.GetValueOrDefault(name.Text);
            var value = valueOf(name.Text) ?? definition?.Default;
            if (definition is null || value is null)
            {
                return false;
            }

            var constraints = clauses switch
            {
                YSequence list => list.Items.Select(i => reader.Constraint(i, "node_filter")).ToList(),
                YMapping { Count: 1 } m when Constraint.Operators.Contains(m.Entries[0].Key.Text) => [reader.Constraint(m, "node_filter")],
                _ => [new Constraint("equal", clauses, clauses.Location)],
            };
            if (constraints.Any(c => c is null))
            {
                return false;
            }

            var check = new DiagnosticBag();
            new ValueValidator(registry, check, resolveInput).Check(value, definition.Schema with { Constraints = constraints! }, name.Text);
            if (check.HasErrors)
            {
                return false;
            }
        }

        return true;
    }
}
