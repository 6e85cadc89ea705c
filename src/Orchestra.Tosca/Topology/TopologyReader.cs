using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Topology;

/// <summary>Reads the <c>topology_template</c> of the main file into a <see cref="Topology"/>.</summary>
internal sealed class TopologyReader(DefinitionReader definitions, string file)
{
    private static readonly string[] TopologyKeys =
        ["description", "inputs", "node_templates", "relationship_templates", "groups", "policies", "outputs", "substitution_mappings", "workflows"];

    private static readonly string[] NodeTemplateKeys =
        ["type", "description", "metadata", "directives", "properties", "attributes", "requirements", "capabilities", "interfaces", "artifacts", "node_filter", "copy"];

    private static readonly string[] RequirementKeys = ["capability", "node", "relationship", "node_filter", "occurrences", "description"];
    private static readonly string[] RelationshipKeys = ["type", "description", "metadata", "properties", "attributes", "interfaces", "copy"];
    private static readonly string[] InlineRelationshipKeys = ["type", "properties", "interfaces", "template"];
    private static readonly string[] CapabilityKeys = ["properties", "attributes", "occurrences", "description"];
    private static readonly string[] GroupKeys = ["type", "description", "metadata", "properties", "members", "interfaces", "attributes", "requirements", "capabilities"];
    private static readonly string[] PolicyKeys = ["type", "description", "metadata", "properties", "targets", "triggers"];
    private static readonly string[] OutputKeys = ["description", "value", "type", "required", "constraints", "entry_schema", "key_schema", "default", "status", "metadata"];
    private static readonly string[] ArtifactKeys =
        ["type", "file", "repository", "description", "deploy_path", "artifact_version", "checksum", "checksum_algorithm", "properties"];

    private DiagnosticBag Diagnostics => definitions.Diagnostics;

    public Topology Read(YMapping root)
    {
        var topology = new Topology { File = file };
        topology.Version = (root["tosca_definitions_version"] as YScalar)?.Text;
        topology.Description = (root["description"] as YScalar)?.Text;
        foreach (var (k, v) in (root["metadata"] as YMapping)?.Entries ?? [])
        {
            if (v is YScalar s)
            {
                topology.Metadata[k.Text] = s.Text;
            }
        }

        topology.Name = topology.Metadata.GetValueOrDefault("template_name") ?? (root["template_name"] as YScalar)?.Text;
        var mapping = NodeReader.Mapping(root["topology_template"], Diagnostics, "'topology_template'");
        if (mapping is null)
        {
            return topology;
        }

        NodeReader.CheckKeys(mapping, TopologyKeys, Diagnostics, "'topology_template'");
        foreach (var (k, v) in definitions.Properties(mapping["inputs"], "input", typeRequired: false))
        {
            topology.Inputs[k] = v;
        }

        var index = 0;
        foreach (var (key, value) in NodeReader.Mapping(mapping["node_templates"], Diagnostics, "'node_templates'")?.Entries ?? [])
        {
            topology.NodeTemplates[key.Text] = ReadNode(key, value, index++);
        }

        foreach (var (key, value) in NodeReader.Mapping(mapping["relationship_templates"], Diagnostics, "'relationship_templates'")?.Entries ?? [])
        {
            topology.RelationshipTemplates[key.Text] = ReadRelationship(key, value);
        }

        foreach (var (key, value) in NodeReader.NamedEntries(mapping["groups"], Diagnostics, "'groups'"))
        {
            topology.Groups[key.Text] = ReadGroupOrPolicy(key, value, isPolicy: false);
        }

        foreach (var (key, value) in NodeReader.NamedEntries(mapping["policies"], Diagnostics, "'policies'"))
        {
            topology.Policies.Add(ReadGroupOrPolicy(key, value, isPolicy: true));
        }

        foreach (var (key, value) in NodeReader.Mapping(mapping["outputs"], Diagnostics, "'outputs'")?.Entries ?? [])
        {
            var output = NodeReader.Mapping(value, Diagnostics, $"output '{key.Text}'");
            if (output is null)
            {
                continue;
            }

            NodeReader.CheckKeys(output, OutputKeys, Diagnostics, $"output '{key.Text}'");
            if (output["value"] is null)
            {
                Diagnostics.Error(ErrorCodes.MissingKey, key.Location, $"output '{key.Text}' is missing the required key 'value'");
            }

            topology.Outputs.Add(new OutputDefinition(key.Text, output["value"], NodeReader.Text(output["description"]), key.Location));
        }

        topology.SubstitutionMappings = NodeReader.Mapping(mapping["substitution_mappings"], Diagnostics, "'substitution_mappings'");
        topology.Workflows = NodeReader.Mapping(mapping["workflows"], Diagnostics, "'workflows'");
        topology.WorkflowsLocation = mapping.KeyNode("workflows")?.Location ?? mapping.Location;
        return topology;
    }

    private NodeTemplate ReadNode(YScalar key, YNode value, int index)
    {
        var node = new NodeTemplate(key.Text, key.Location, index) { File = file };
        var context = $"node template '{key.Text}'";
        var mapping = NodeReader.Mapping(value, Diagnostics, context, allowNull: false);
        if (mapping is null)
        {
            return node;
        }

        NodeReader.CheckKeys(mapping, NodeTemplateKeys, Diagnostics, context);
        node.TypeName = NodeReader.String(mapping["type"], Diagnostics, $"'type' of {context}");
        node.TypeLocation = mapping["type"]?.Location ?? key.Location;
        if (node.TypeName is null && mapping["copy"] is null)
        {
            Diagnostics.Error(ErrorCodes.MissingKey, key.Location, $"{context} is missing the required key 'type'");
        }

        node.Description = NodeReader.Text(mapping["description"]);
        node.Properties = NodeReader.Mapping(mapping["properties"], Diagnostics, $"'properties' of {context}");
        node.Attributes = AttributeAssignments.Normalize(NodeReader.Mapping(mapping["attributes"], Diagnostics, $"'attributes' of {context}"));
        foreach (var (capKey, capValue) in NodeReader.Mapping(mapping["capabilities"], Diagnostics, $"'capabilities' of {context}")?.Entries ?? [])
        {
            var what = $"capability '{capKey.Text}' of {context}";
            var cap = NodeReader.Mapping(capValue, Diagnostics, what);
            if (cap is not null)
            {
                NodeReader.CheckKeys(cap, CapabilityKeys, Diagnostics, what);
            }

            node.Capabilities[capKey.Text] = new CapabilityAssignment(capKey.Text,
                NodeReader.Mapping(cap?["properties"], Diagnostics, $"'properties' of {what}"),
                AttributeAssignments.Normalize(NodeReader.Mapping(cap?["attributes"], Diagnostics, $"'attributes' of {what}")),
                capKey.Location);
        }

        foreach (var (reqKey, reqValue) in NodeReader.NamedEntries(mapping["requirements"], Diagnostics, $"'requirements' of {context}"))
        {
            node.Requirements.Add(ReadRequirement(reqKey, reqValue, context));
        }

        node.Interfaces = definitions.Interfaces(mapping["interfaces"], file, context, inTemplate: true);
        foreach (var (artKey, artValue) in NodeReader.Mapping(mapping["artifacts"], Diagnostics, $"'artifacts' of {context}")?.Entries ?? [])
        {
            if (artValue is YScalar { IsNull: false } shortForm)
            {
                node.Artifacts[artKey.Text] = new ArtifactDefinition(artKey.Text, null, shortForm.Text, null, artKey.Location);
                continue;
            }

            var art = NodeReader.Mapping(artValue, Diagnostics, $"artifact '{artKey.Text}' of {context}");
            if (art is null)
            {
                continue;
            }

            NodeReader.CheckKeys(art, ArtifactKeys, Diagnostics, $"artifact '{artKey.Text}' of {context}");
            node.Artifacts[artKey.Text] = new ArtifactDefinition(artKey.Text,
                NodeReader.String(art["type"], Diagnostics, "'type' of an artifact"),
                NodeReader.String(art["file"], Diagnostics, "'file' of an artifact"),
                NodeReader.String(art["repository"], Diagnostics, "'repository' of an artifact"),
                artKey.Location);
        }

        return node;
    }

    private RequirementAssignment ReadRequirement(YScalar key, YNode value, string context)
    {
        var requirement = new RequirementAssignment(key.Text, key.Location);
        var what = $"requirement '{key.Text}' of {context}";
        if (value is YScalar shortForm)
        {
            requirement.Node = shortForm.IsNull ? null : shortForm.Text;
            requirement.NodeLocation = shortForm.Location;
            return requirement;
        }

        var mapping = NodeReader.Mapping(value, Diagnostics, what);
        if (mapping is null)
        {
            return requirement;
        }

        NodeReader.CheckKeys(mapping, RequirementKeys, Diagnostics, what);
        requirement.Node = NodeReader.String(mapping["node"], Diagnostics, $"'node' of {what}");
        requirement.NodeLocation = mapping["node"]?.Location ?? key.Location;
        requirement.Capability = NodeReader.String(mapping["capability"], Diagnostics, $"'capability' of {what}");
        requirement.NodeFilter = mapping["node_filter"];
        requirement.RelationshipLocation = mapping["relationship"]?.Location ?? key.Location;
        switch (mapping["relationship"])
        {
            case YMapping inline:
                NodeReader.CheckKeys(inline, InlineRelationshipKeys, Diagnostics, $"'relationship' of {what}");
                requirement.Relationship = NodeReader.String(inline["type"] ?? inline["template"], Diagnostics, $"'type' of the relationship of {what}");
                requirement.RelationshipProperties = NodeReader.Mapping(inline["properties"], Diagnostics, $"'properties' of the relationship of {what}");
                requirement.RelationshipInterfaces = definitions.Interfaces(inline["interfaces"], file, $"the relationship of {what}", inTemplate: true);
                break;
            case var r:
                requirement.Relationship = NodeReader.String(r, Diagnostics, $"'relationship' of {what}");
                break;
        }

        return requirement;
    }

    private RelationshipTemplate ReadRelationship(YScalar key, YNode value)
    {
        var template = new RelationshipTemplate(key.Text, key.Location) { File = file };
        var context = $"relationship template '{key.Text}'";
        var mapping = NodeReader.Mapping(value, Diagnostics, context, allowNull: false);
        if (mapping is null)
        {
            return template;
        }

        NodeReader.CheckKeys(mapping, RelationshipKeys, Diagnostics, context);
        template.TypeName = NodeReader.String(mapping["type"], Diagnostics, $"'type' of {context}");
        if (template.TypeName is null)
        {
            Diagnostics.Error(ErrorCodes.MissingKey, key.Location, $"{context} is missing the required key 'type'");
        }

        template.Properties = NodeReader.Mapping(mapping["properties"], Diagnostics, $"'properties' of {context}");
        template.Attributes = AttributeAssignments.Normalize(NodeReader.Mapping(mapping["attributes"], Diagnostics, $"'attributes' of {context}"));
        template.Interfaces = definitions.Interfaces(mapping["interfaces"], file, context, inTemplate: true);
        return template;
    }

    private GroupOrPolicy ReadGroupOrPolicy(YScalar key, YNode value, bool isPolicy)
    {
        var item = new GroupOrPolicy(key.Text, key.Location, isPolicy);
        var context = $"{(isPolicy ? "policy" : "group")} '{key.Text}'";
        var mapping = NodeReader.Mapping(value, Diagnostics, context, allowNull: false);
        if (mapping is null)
        {
            return item;
        }

        NodeReader.CheckKeys(mapping, isPolicy ? PolicyKeys : GroupKeys, Diagnostics, context);
        item.TypeName = NodeReader.String(mapping["type"], Diagnostics, $"'type' of {context}");
        item.TypeLocation = mapping["type"]?.Location ?? key.Location;
        if (item.TypeName is null)
        {
            Diagnostics.Error(ErrorCodes.MissingKey, key.Location, $"{context} is missing the required key 'type'");
        }

        item.Properties = NodeReader.Mapping(mapping["properties"], Diagnostics, $"'properties' of {context}");
        item.Triggers.AddRange(isPolicy ? NodeReader.Mapping(mapping["triggers"], Diagnostics, $"'triggers' of {context}")?.Entries.Select(static e => e.Key) ?? [] : []);
        var targets = mapping[isPolicy ? "targets" : "members"];
        foreach (var target in NodeReader.Sequence(targets, Diagnostics, $"'{(isPolicy ? "targets" : "members")}' of {context}")?.Items ?? [])
        {
            if (target is YScalar { IsNull: false } s)
            {
                item.Targets.Add(s);
            }
            else
            {
                Diagnostics.Error(ErrorCodes.WrongShape, target.Location, $"each entry of '{(isPolicy ? "targets" : "members")}' of {context} must be a name, not {target.Describe()}");
            }
        }

        return item;
    }
}
