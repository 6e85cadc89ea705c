namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>Small templates for the tests, written into a test's directory with their scripts.</summary>
public static class TestTemplates
{
    /// <summary>
    /// A chain a -> b -> c; each create runs <c>step.sh</c>, which sleeps <paramref name="seconds"/> and appends
    /// "NODE OPERATION ATTEMPT" to <c>runs.log</c> (so a test can count how often each operation ran).
    /// </summary>
    public static string Chain(TempDirectory dir, double seconds = 0, string name = "chain")
    {
        dir.Write("templates/scripts/step.sh", """
            #!/usr/bin/env bash
            set -euo pipefail
            echo "step $ORCHESTRA_NODE $ORCHESTRA_OPERATION starting"
            sleep "${SECONDS_TO_SLEEP:-0}"
            echo "$ORCHESTRA_NODE $ORCHESTRA_OPERATION $ORCHESTRA_ATTEMPT" >> "$RUNS_LOG"
            echo "greeting=hello from $ORCHESTRA_NODE" >> "$ORCHESTRA_OUTPUTS"
            """);
        var log = Path.Combine(dir.Path, "runs.log");
        var sleep = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var yaml = new System.Text.StringBuilder()
            .AppendLine("tosca_definitions_version: tosca_simple_yaml_1_3")
            .AppendLine("node_types:")
            .AppendLine("  test.Step:")
            .AppendLine("    derived_from: tosca.nodes.Root")
            .AppendLine("    attributes:")
            .AppendLine("      greeting: { type: string }")
            .AppendLine("topology_template:")
            .AppendLine("  node_templates:");
        foreach (var (node, after) in new[] { ("a", (string?)null), ("b", "a"), ("c", "b") })
        {
            yaml.AppendLine($"    {node}:")
                .AppendLine("      type: test.Step");
            if (after is not null)
            {
                yaml.AppendLine("      requirements:").AppendLine($"        - dependency: {after}");
            }

            yaml.AppendLine("      interfaces:")
                .AppendLine("        Standard:")
                .AppendLine("          operations:")
                .AppendLine("            create:")
                .AppendLine("              implementation: scripts/step.sh")
                .AppendLine($"              inputs: {{ SECONDS_TO_SLEEP: {sleep}, RUNS_LOG: \"{log}\" }}");
        }

        yaml.AppendLine("  outputs:")
            .AppendLine("    greeting:")
            .AppendLine("      value: { get_attribute: [ c, greeting ] }");
        return dir.Write($"templates/{name}.yaml", yaml.ToString());
    }

    /// <summary>A single node whose create fails until the file <paramref name="flag"/> exists (for retry tests).</summary>
    public static string FailsUntilFlag(TempDirectory dir, string flag, string name = "flaky")
    {
        dir.Write("templates/scripts/until_flag.sh", """
            #!/usr/bin/env bash
            if [ ! -e "$FLAG" ]; then echo "flag $FLAG missing" >&2; exit 3; fi
            echo ok
            """);
        return dir.Write($"templates/{name}.yaml", $$"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                only:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: scripts/until_flag.sh
                          inputs: { FLAG: "{{flag}}" }
                        delete:
                          implementation: scripts/until_flag.sh
                          inputs: { FLAG: "{{flag}}" }
            """);
    }

    /// <summary>A template with two errors: an unknown node type and a requirement on an undefined node.</summary>
    public static string Invalid(TempDirectory dir) => dir.Write("templates/broken.yaml", """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            web:
              type: tosca.nodes.NoSuchType
            app:
              type: tosca.nodes.Root
              requirements:
                - dependency: missing_node
        """);
}
