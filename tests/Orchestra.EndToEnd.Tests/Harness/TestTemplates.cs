namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>Small templates for the tests, written into a test's directory with their scripts.</summary>
public static class TestTemplates
{
    /// <summary>
    /// A chain a -> b -> c; each create runs <c>step.sh</c>, which sleeps <paramref name="seconds"/> and appends
    /// "NODE OPERATION ATTEMPT" to <c>runs.log</c> (so a test can count how often each operation ran); at its start it writes its
    /// pid to <c>pids/NODE.pid</c>.
    /// </summary>
    public static string Chain(TempDirectory dir, double seconds = 0, string name = "chain")
    {
        dir.Write("templates/scripts/step.sh", """
            #!/usr/bin/env bash
            set -euo pipefail
            echo "step $ORCHESTRA_NODE $ORCHESTRA_OPERATION starting"
            pids="$(dirname "$RUNS_LOG")/pids"
            mkdir -p "$pids" && echo $$ > "$pids/$ORCHESTRA_NODE.pid.tmp" && mv "$pids/$ORCHESTRA_NODE.pid.tmp" "$pids/$ORCHESTRA_NODE.pid"
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

    /// <summary>
    /// Two nodes a -> b whose create blocks: it appends "NODE OPERATION ATTEMPT started" to <c>runs.log</c>, writes its pid to
    /// <c>pids/NODE.pid</c>, then waits until the test's directory is gone (at most a minute), so only a kill ends it early.
    /// With <paramref name="ignoreTerm"/> it survives SIGTERM (logging "NODE got TERM"), so a cancel stays in
    /// <c>Cancelling</c> for the whole kill grace period.
    /// </summary>
    public static string Blocking(TempDirectory dir, bool ignoreTerm = false, string name = "slow")
    {
        dir.Write("templates/scripts/block.sh", """
            #!/usr/bin/env bash
            echo "$ORCHESTRA_NODE $ORCHESTRA_OPERATION $ORCHESTRA_ATTEMPT started" >> "$TEST_DIR/runs.log"
            if [ "$IGNORE_TERM" = "true" ]; then trap 'echo "$ORCHESTRA_NODE got TERM" >> "$TEST_DIR/runs.log"' TERM; fi
            mkdir -p "$TEST_DIR/pids" && echo $$ > "$TEST_DIR/pids/$ORCHESTRA_NODE.pid.tmp" && mv "$TEST_DIR/pids/$ORCHESTRA_NODE.pid.tmp" "$TEST_DIR/pids/$ORCHESTRA_NODE.pid"
            end=$((SECONDS + 60))
            while [ -d "$TEST_DIR" ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
            echo "$ORCHESTRA_NODE $ORCHESTRA_OPERATION $ORCHESTRA_ATTEMPT finished" >> "$TEST_DIR/runs.log"
            """);
        var inputs = $"{{ TEST_DIR: \"{dir.Path}\", IGNORE_TERM: \"{(ignoreTerm ? "true" : "false")}\" }}";
        return dir.Write($"templates/{name}.yaml", $"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                a:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: scripts/block.sh
                          inputs: {inputs}
                b:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: a
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: scripts/block.sh
                          inputs: {inputs}
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
