using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;

namespace Orchestra.Tosca.Types;

/// <summary>Reads the <c>*_types</c> sections of one file into a <see cref="TypeRegistry"/>.</summary>
internal sealed class TypeReader(TypeRegistry registry, DefinitionReader definitions)
{
    public static readonly IReadOnlyDictionary<string, TypeKind> Sections = new Dictionary<string, TypeKind>(StringComparer.Ordinal)
    {
        ["data_types"] = TypeKind.Data,
        ["artifact_types"] = TypeKind.Artifact,
        ["capability_types"] = TypeKind.Capability,
        ["interface_types"] = TypeKind.Interface,
        ["relationship_types"] = TypeKind.Relationship,
        ["node_types"] = TypeKind.Node,
        ["group_types"] = TypeKind.Group,
        ["policy_types"] = TypeKind.Policy,
    };

    private static readonly string[] Common = ["derived_from", "version", "metadata", "description"];

    private static readonly Dictionary<TypeKind, string[]> KeysByKind = new()
    {
        [TypeKind.Data] = [.. Common, "constraints", "properties", "key_schema", "entry_schema"],
        [TypeKind.Artifact] = [.. Common, "mime_type", "file_ext", "properties"],
        [TypeKind.Capability] = [.. Common, "properties", "attributes", "valid_source_types"],
        [TypeKind.Interface] = [.. Common, "inputs", "operations", "notifications"],
        [TypeKind.Relationship] = [.. Common, "properties", "attributes", "interfaces", "valid_target_types"],
        [TypeKind.Node] = [.. Common, "properties", "attributes", "requirements", "capabilities", "interfaces", "artifacts"],
        [TypeKind.Group] = [.. Common, "properties", "attributes", "members", "requirements", "capabilities", "interfaces"],
        [TypeKind.Policy] = [.. Common, "properties", "targets", "triggers"],
    };

    private static readonly string[] CapabilityKeys = ["type", "description", "properties", "attributes", "valid_source_types", "occurrences"];
    private static readonly string[] RequirementKeys = ["capability", "node", "relationship", "occurrences", "node_filter", "description"];

    private DiagnosticBag Diagnostics => definitions.Diagnostics;

    /// <summary>Reads every type section of a file; returns the types it defines.</summary>
    public List<ToscaType> ReadFile(YMapping root, string file, bool builtIn)
    {
        var types = new List<ToscaType>();
        foreach (var (section, kind) in Sections)
        {
            foreach (var (key, value) in NodeReader.Mapping(root[section], Diagnostics, $"'{section}'")?.Entries ?? [])
            {
                var type = Read(kind, key, value, file, builtIn);
                registry.Add(type, Diagnostics);
                types.Add(type);
            }
        }

        return types;
    }

    private ToscaType Read(TypeKind kind, YScalar key, YNode value, string file, bool builtIn)
    {
        var type = new ToscaType(kind, key.Text, file, key.Location) { IsBuiltIn = builtIn, Definition = value };
        var context = $"{TypeRegistry.KindName(kind)} '{key.Text}'";
        var mapping = NodeReader.Mapping(value, Diagnostics, context);
        if (mapping is null)
        {
            DefaultParent(type);
            return type;
        }

        // Type definitions are checked loosely (tosca-parser's own test data misspells 'occurrences'): a warning.
        if (kind != TypeKind.Interface)
        {
            NodeReader.CheckKeys(mapping, KeysByKind[kind], Diagnostics, context, warningOnly: true);
        }

        type.DerivedFrom = NodeReader.String(mapping["derived_from"], Diagnostics, $"'derived_from' of {context}");
        type.DerivedFromLocation = mapping["derived_from"]?.Location ?? key.Location;
        type.Description = NodeReader.Text(mapping["description"]);
        DefaultParent(type);
        foreach (var (k, v) in definitions.Properties(mapping["properties"], $"property of {context}"))
        {
            type.Properties[k] = v;
        }

        foreach (var (k, v) in definitions.Properties(mapping["attributes"], $"attribute of {context}"))
        {
            type.Attributes[k] = v;
        }

        var validTypesKey = kind switch
        {
            TypeKind.Capability => "valid_source_types",
            TypeKind.Relationship => "valid_target_types",
            TypeKind.Group => "members",
            TypeKind.Policy => "targets",
            _ => null,
        };
        type.ValidTypesLocation = validTypesKey is null ? null : mapping[validTypesKey]?.Location;
        switch (kind)
        {
            case TypeKind.Data:
                type.Constraints.AddRange(definitions.Constraints(mapping["constraints"], context));
                type.EntrySchema = mapping["entry_schema"] is { } entry ? definitions.SchemaOf(entry, $"'entry_schema' of {context}") : null;
                break;
            case TypeKind.Capability:
                type.ValidTypes.AddRange(NodeReader.StringList(mapping["valid_source_types"], Diagnostics, $"'valid_source_types' of {context}"));
                break;
            case TypeKind.Relationship:
                type.ValidTypes.AddRange(NodeReader.StringList(mapping["valid_target_types"], Diagnostics, $"'valid_target_types' of {context}"));
                ReadInterfaces(type, mapping, file, context);
                break;
            case TypeKind.Node or TypeKind.Group:
                ArtifactReader.ReadInto(type.Artifacts, mapping["artifacts"], file, Diagnostics, context);
                ReadCapabilities(type, mapping["capabilities"], context);
                ReadRequirements(type, mapping["requirements"], file, context);
                ReadInterfaces(type, mapping, file, context);
                if (kind == TypeKind.Group)
                {
                    type.ValidTypes.AddRange(NodeReader.StringList(mapping["members"], Diagnostics, $"'members' of {context}"));
                }

                break;
            case TypeKind.Policy:
                type.ValidTypes.AddRange(NodeReader.StringList(mapping["targets"], Diagnostics, $"'targets' of {context}"));
                break;
            case TypeKind.Interface:
                ReadInterfaceType(type, key, mapping, file, context);
                break;
        }

        return type;
    }

    private static void DefaultParent(ToscaType type)
    {
        // A type without derived_from derives from its kind's root (tosca.nodes.Root, ...), except the roots.
        if (type.DerivedFrom is not null || type.IsBuiltIn || type.Kind is TypeKind.Data)
        {
            return;
        }

        type.DerivedFrom = type.Kind switch
        {
            TypeKind.Artifact => "tosca.artifacts.Root",
            TypeKind.Capability => "tosca.capabilities.Root",
            TypeKind.Interface => "tosca.interfaces.Root",
            TypeKind.Relationship => "tosca.relationships.Root",
            TypeKind.Node => "tosca.nodes.Root",
            TypeKind.Group => "tosca.groups.Root",
            _ => "tosca.policies.Root",
        };
        type.DerivedFromLocation = type.Location;
    }

    private void ReadInterfaceType(ToscaType type, YScalar key, YMapping mapping, string file, string context)
    {
        var definition = definitions.Interface(key, mapping, file, context, inTemplate: false, inputsAreDefinitions: true);
        foreach (var (k, v) in definition.Operations)
        {
            type.Operations[k] = v;
        }

        foreach (var (k, v) in definition.Inputs)
        {
            type.InterfaceInputs[k] = v;
        }
    }

    private void ReadInterfaces(ToscaType type, YMapping mapping, string file, string context)
    {
        foreach (var (k, v) in definitions.Interfaces(mapping["interfaces"], file, context, inTemplate: false))
        {
            type.Interfaces[k] = v;
        }
    }

    private void ReadCapabilities(ToscaType type, YNode? node, string context)
    {
        foreach (var (key, value) in NodeReader.Mapping(node, Diagnostics, $"'capabilities' of {context}")?.Entries ?? [])
        {
            var what = $"capability '{key.Text}' of {context}";
            if (value is YScalar { IsNull: false } shortForm)
            {
                type.Capabilities[key.Text] = new CapabilityDefinition(key.Text, shortForm.Text, new Dictionary<string, PropertyDefinition>(), new Dictionary<string, PropertyDefinition>(), [], key.Location);
                continue;
            }

            var mapping = NodeReader.Mapping(value, Diagnostics, what);
            if (mapping is null)
            {
                continue;
            }

            NodeReader.CheckKeys(mapping, CapabilityKeys, Diagnostics, what, warningOnly: true);
            var capabilityType = NodeReader.String(mapping["type"], Diagnostics, $"'type' of {what}") ?? string.Empty;
            type.Capabilities[key.Text] = new CapabilityDefinition(
                key.Text,
                capabilityType,
                definitions.Properties(mapping["properties"], $"property of {what}", typeRequired: false, valuesAllowed: true),
                definitions.Properties(mapping["attributes"], $"attribute of {what}", typeRequired: false, valuesAllowed: true),
                NodeReader.StringList(mapping["valid_source_types"], Diagnostics, $"'valid_source_types' of {what}"),
                key.Location);
        }
    }

    private void ReadRequirements(ToscaType type, YNode? node, string file, string context)
    {
        foreach (var (key, value) in NodeReader.NamedEntries(node, Diagnostics, $"'requirements' of {context}"))
        {
            var what = $"requirement '{key.Text}' of {context}";
            if (value is YScalar { IsNull: false } shortForm)
            {
                type.Requirements.Add(new RequirementDefinition(key.Text, shortForm.Text, null, null, null, Occurrences.Default, null, key.Location));
                continue;
            }

            var mapping = NodeReader.Mapping(value, Diagnostics, what);
            if (mapping is null)
            {
                continue;
            }

            NodeReader.CheckKeys(mapping, RequirementKeys, Diagnostics, what, warningOnly: true);
            string? relationship = null;
            InterfaceSet? interfaces = null;
            switch (mapping["relationship"])
            {
                case YMapping rel:
                    relationship = NodeReader.String(rel["type"], Diagnostics, $"'type' of the relationship of {what}");
                    interfaces = definitions.Interfaces(rel["interfaces"], file, what, inTemplate: false);
                    break;
                case var r:
                    relationship = NodeReader.String(r, Diagnostics, $"'relationship' of {what}");
                    break;
            }

            // tosca-parser's own data writes 'occurences'; honour it (the unknown-key warning above still says so).
            var occurrences = DefinitionReader.ReadOccurrences(mapping["occurrences"] ?? mapping["occurences"], Diagnostics, what) ?? Occurrences.Default;
            type.Requirements.Add(new RequirementDefinition(
                key.Text,
                NodeReader.String(mapping["capability"], Diagnostics, $"'capability' of {what}"),
                NodeReader.String(mapping["node"], Diagnostics, $"'node' of {what}"),
                relationship,
                interfaces,
                occurrences,
                mapping["node_filter"],
                key.Location));
        }
    }
}
