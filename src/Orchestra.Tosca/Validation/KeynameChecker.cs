using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Validation;

/// <summary>
/// Checks, in one file, the keynames whose value has a fixed shape wherever they appear: <c>description</c> is a string and
/// <c>metadata</c> a map (of strings, except a type's own) in the file, its types and their definitions, and its topology; and each repository has
/// its required <c>url</c>.
/// </summary>
/// <remarks>
/// Numbers and booleans are accepted where a string is expected (<c>template_version: 1.0</c> is common metadata, and YAML tools
/// read it as a number); maps and lists are not. Only the shape is checked here: the readers take the text as it is.
/// </remarks>
internal sealed class KeynameChecker(DiagnosticBag diagnostics)
{
    private static readonly string[] RepositoryKeys = ["description", "url", "credential"];

    public void Check(YMapping root, string what)
    {
        Describe(root, what);
        foreach (var (key, value) in NodeReader.Mapping(root["repositories"], diagnostics, "'repositories'")?.Entries ?? [])
        {
            Repository(key, value);
        }

        foreach (var section in TypeReader.Sections.Keys)
        {
            foreach (var (key, value) in (root[section] as YMapping)?.Entries ?? [])
            {
                if (value is YMapping type)
                {
                    Type(type, $"{TypeRegistry.KindName(TypeReader.Sections[section])} '{key.Text}'", section == "interface_types");
                }
            }
        }

        if (root["topology_template"] is YMapping topology)
        {
            Topology(topology);
        }
    }

    private void Repository(YScalar key, YNode value)
    {
        var what = $"repository '{key.Text}'";
        if (value is YScalar { IsNull: false })
        {
            return;
        }

        if (value is not YMapping repository)
        {
            diagnostics.Error(ErrorCodes.WrongShape, value.Location, $"{what} must be a URL or a map with 'url', not {value.Describe()}");
            return;
        }

        NodeReader.CheckKeys(repository, RepositoryKeys, diagnostics, what);
        Describe(repository, what);
        switch (repository["url"])
        {
            case null or YScalar { IsNull: true }:
                diagnostics.Error(ErrorCodes.MissingKey, key.Location, $"{what} is missing the required key 'url'");
                break;
            case YScalar:
                break;
            case var url:
                diagnostics.Error(ErrorCodes.WrongShape, url.Location, $"'url' of {what} must be a string, not {url.Describe()}");
                break;
        }
    }

    private void Type(YMapping type, string what, bool isInterfaceType)
    {
        // tosca-parser reads a policy type's metadata as a definition ({ type: map, entry_schema: ... }); its own data has one.
        Describe(type, what, metadataOfStrings: false);
        Definitions(type["properties"], "property", what);
        Definitions(type["attributes"], "attribute", what);
        foreach (var (key, value) in (type["capabilities"] as YMapping)?.Entries ?? [])
        {
            if (value is YMapping capability)
            {
                var capabilityWhat = $"capability '{key.Text}' of {what}";
                Describe(capability, capabilityWhat);
                Definitions(capability["properties"], "property", capabilityWhat);
                Definitions(capability["attributes"], "attribute", capabilityWhat);
            }
        }

        foreach (var item in (type["requirements"] as YSequence)?.Items ?? [])
        {
            if (item is YMapping { Count: 1 } single && single.Entries[0].Value is YMapping requirement)
            {
                Describe(requirement, $"requirement '{single.Entries[0].Key.Text}' of {what}");
            }
        }

        if (isInterfaceType)
        {
            Interface(type, what);
        }

        Interfaces(type["interfaces"], what);
        Artifacts(type["artifacts"], what);
    }

    private void Topology(YMapping topology)
    {
        const string what = "'topology_template'";
        Describe(topology, what);
        Definitions(topology["inputs"], "input", null);
        foreach (var (key, value) in (topology["node_templates"] as YMapping)?.Entries ?? [])
        {
            if (value is YMapping node)
            {
                var nodeWhat = $"node template '{key.Text}'";
                Describe(node, nodeWhat);
                Interfaces(node["interfaces"], nodeWhat);
                Artifacts(node["artifacts"], nodeWhat);
            }
        }

        foreach (var (key, value) in (topology["relationship_templates"] as YMapping)?.Entries ?? [])
        {
            if (value is YMapping relationship)
            {
                Describe(relationship, $"relationship template '{key.Text}'");
            }
        }

        foreach (var (section, kind) in new[] { ("groups", "group"), ("policies", "policy"), ("outputs", "output"), ("workflows", "workflow") })
        {
            foreach (var (key, value) in Named(topology[section]))
            {
                if (value is YMapping entry)
                {
                    Describe(entry, $"{kind} '{key.Text}'");
                }
            }
        }
    }

    // Definitions of properties, attributes or inputs; a refinement that only gives a new default (name: value) is not one.
    private void Definitions(YNode? node, string kind, string? owner)
    {
        foreach (var (key, value) in (node as YMapping)?.Entries ?? [])
        {
            if (value is YMapping definition && definition.Keys.All(k => DefinitionReader.PropertyKeys.Contains(k)))
            {
                Describe(definition, owner is null ? $"{kind} '{key.Text}'" : $"{kind} '{key.Text}' of {owner}");
            }
        }
    }

    private void Interfaces(YNode? node, string owner)
    {
        foreach (var (key, value) in (node as YMapping)?.Entries ?? [])
        {
            if (value is YMapping definition)
            {
                Interface(definition, $"interface '{key.Text}' of {owner}");
            }
        }
    }

    private void Interface(YMapping definition, string what)
    {
        Describe(definition, what);
        Definitions(definition["inputs"], "input", what);
        foreach (var (key, value) in definition.Entries)
        {
            if (key.Text is "operations" or "notifications")
            {
                foreach (var (name, operation) in (value as YMapping)?.Entries ?? [])
                {
                    Operation(operation, $"operation '{name.Text}' of {what}");
                }
            }
            else if (key.Text is not ("type" or "inputs" or "description" or "derived_from" or "version" or "metadata"))
            {
                // TOSCA 1.0 to 1.2: operations directly under the interface.
                Operation(value, $"operation '{key.Text}' of {what}");
            }
        }
    }

    private void Operation(YNode node, string what)
    {
        if (node is YMapping operation)
        {
            Describe(operation, what);
            Definitions(operation["inputs"], "input", what);
            Definitions(operation["outputs"], "output", what);
        }
    }

    private void Artifacts(YNode? node, string owner)
    {
        foreach (var (key, value) in (node as YMapping)?.Entries ?? [])
        {
            if (value is YMapping artifact)
            {
                Describe(artifact, $"artifact '{key.Text}' of {owner}");
            }
        }
    }

    private static IEnumerable<(YScalar Key, YNode Value)> Named(YNode? node) => node switch
    {
        YMapping m => m.Entries.Select(e => (e.Key, e.Value)),
        YSequence s => s.Items.OfType<YMapping>().Where(m => m.Count == 1).Select(m => (m.Entries[0].Key, m.Entries[0].Value)),
        _ => [],
    };

    private void Describe(YMapping mapping, string what, bool metadataOfStrings = true)
    {
        if (mapping["description"] is YMapping or YSequence && mapping["description"] is { } description)
        {
            diagnostics.Error(ErrorCodes.WrongShape, description.Location, $"'description' of {what} must be a string, not {description.Describe()}");
        }

        switch (mapping["metadata"])
        {
            case null or YScalar { IsNull: true }:
                break;
            case YMapping metadata:
                foreach (var (key, value) in metadata.Entries)
                {
                    if (metadataOfStrings && value is YMapping or YSequence)
                    {
                        diagnostics.Error(ErrorCodes.WrongShape, value.Location,
                            $"'metadata' of {what} must map names to strings, but '{key.Text}' is {value.Describe()}");
                    }
                }

                break;
            case var other:
                diagnostics.Error(ErrorCodes.WrongShape, other.Location, $"'metadata' of {what} must be a map of names to strings, not {other.Describe()}");
                break;
        }
    }
}
