using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Topology;

namespace Orchestra.Tosca.Types;

/// <summary>Definitions that build on inherited ones: refinements without a type, and node types' artifacts.</summary>
internal sealed partial class TypeRegistry
{
    /// <summary>Reports a property or attribute definition without <c>type</c> that refines nothing inherited.</summary>
    private void CheckRefinements(DiagnosticBag diagnostics)
    {
        foreach (var kind in Enum.GetValues<TypeKind>())
        {
            foreach (var type in _types[kind].Values)
            {
                Check(type, type.Properties, type.Parent is null ? null : AllProperties(type.Parent), "property");
                Check(type, type.Attributes, type.Parent is null ? null : AllAttributes(type.Parent), "attribute");
            }
        }

        void Check(ToscaType type, Dictionary<string, PropertyDefinition> own, IReadOnlyDictionary<string, PropertyDefinition>? inherited, string what)
        {
            foreach (var (name, definition) in own)
            {
                // A broken derivation has its own error; what it would have inherited is unknown.
                if (definition.RefinesWithoutType && inherited?.ContainsKey(name) != true && !type.HasBrokenDerivation)
                {
                    diagnostics.Error(ErrorCodes.MissingKey, definition.Location,
                        $"{what} of {KindName(type.Kind)} '{type.Name}' '{name}' is missing the required key 'type' (it refines no inherited {what})");
                }
            }
        }
    }

    /// <summary>A node type's artifacts, inherited ones included (a nearer definition of a name wins).</summary>
    public Dictionary<string, ArtifactDefinition> AllArtifacts(ToscaType type)
    {
        var result = new Dictionary<string, ArtifactDefinition>(StringComparer.Ordinal);
        foreach (var t in type.Ancestry().Reverse())
        {
            foreach (var (name, artifact) in t.Artifacts)
            {
                result[name] = artifact;
            }
        }

        return result;
    }

    /// <summary>Gives each node template its type's artifacts that it does not define itself (TOSCA 1.3 3.7.3).</summary>
    public void InheritArtifacts(Topology.Topology topology)
    {
        foreach (var node in topology.NodeTemplates.Values)
        {
            if (node.Type is { } type)
            {
                foreach (var (name, artifact) in AllArtifacts(type))
                {
                    node.Artifacts.TryAdd(name, artifact);
                }
            }
        }
    }
}
