using System.Globalization;
using System.Text;

namespace Orchestra.Benchmarks.Tosca;

/// <summary>Generates a large layered TOSCA template: every node depends on two nodes of the layer before it.</summary>
public static class ToscaTemplateGenerator
{
    /// <summary>Writes a template of <paramref name="nodes"/> nodes in layers of <paramref name="width"/>.</summary>
    /// <param name="path">Where to write it.</param>
    /// <param name="nodes">The number of node templates.</param>
    /// <param name="width">Nodes per layer.</param>
    public static void Write(string path, int nodes = 10_000, int width = 100)
    {
        var sb = new StringBuilder(nodes * 200);
        sb.Append("tosca_definitions_version: tosca_simple_yaml_1_3\n");
        sb.Append("metadata:\n  template_name: layered-").Append(nodes).Append('\n');
        sb.Append("topology_template:\n  inputs:\n    greeting: { type: string, default: hello }\n  node_templates:\n");
        for (var i = 0; i < nodes; i++)
        {
            var layer = i / width;
            sb.Append("    n").Append(i.ToString(CultureInfo.InvariantCulture)).Append(":\n      type: tosca.nodes.Root\n");
            if (layer > 0)
            {
                var a = ((layer - 1) * width) + (i % width);
                var b = ((layer - 1) * width) + ((i + 1) % width);
                sb.Append("      requirements:\n        - dependency: n").Append(a.ToString(CultureInfo.InvariantCulture))
                  .Append("\n        - dependency: n").Append(b.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            sb.Append("      interfaces:\n        Standard:\n          create:\n            implementation: orchestra:noop\n")
              .Append("            inputs:\n              message: { concat: [ { get_input: greeting }, \" from \", n")
              .Append(i.ToString(CultureInfo.InvariantCulture)).Append(" ] }\n");
        }

        File.WriteAllText(path, sb.ToString());
    }
}
