using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;

namespace Orchestra.Tosca.Types;

/// <summary>Reads the artifact definitions of a node type (short form <c>name: file</c>, or a map with <c>file</c> and <c>type</c>).</summary>
internal static class ArtifactReader
{
    private static readonly string[] Keys =
        ["type", "file", "repository", "description", "deploy_path", "artifact_version", "checksum", "checksum_algorithm", "properties"];

    public static void ReadInto(Dictionary<string, ArtifactDefinition> into, YNode? node, string file, DiagnosticBag diagnostics, string context)
    {
        foreach (var (key, value) in NodeReader.Mapping(node, diagnostics, $"'artifacts' of {context}")?.Entries ?? [])
        {
            if (value is YScalar { IsNull: false } shortForm)
            {
                into[key.Text] = new ArtifactDefinition(key.Text, null, shortForm.Text, null, key.Location, file);
                continue;
            }

            var what = $"artifact '{key.Text}' of {context}";
            if (NodeReader.Mapping(value, diagnostics, what) is not { } mapping)
            {
                continue;
            }

            // Type definitions are checked loosely, as their other keys are.
            NodeReader.CheckKeys(mapping, Keys, diagnostics, what, warningOnly: true);
            into[key.Text] = new ArtifactDefinition(
                key.Text,
                NodeReader.String(mapping["type"], diagnostics, $"'type' of {what}"),
                NodeReader.String(mapping["file"], diagnostics, $"'file' of {what}"),
                NodeReader.String(mapping["repository"], diagnostics, $"'repository' of {what}"),
                key.Location,
                file);
        }
    }
}
