namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>
/// A chain a -&gt; b whose creates wait for the test: each appends "NODE OPERATION ATTEMPT started" to <c>runs.log</c>, writes its pid to
/// <c>pids/NODE.pid</c>, then waits until the test creates <c>release/NODE</c> (or deletes its directory; at most a minute), and appends
/// "NODE OPERATION ATTEMPT finished". So a test decides when a running operation ends, and can tell a finished one from a killed one.
/// </summary>
public sealed class GatedTemplate
{
    private readonly TempDirectory _dir;

    public GatedTemplate(TempDirectory dir, string name = "gated")
    {
        _dir = dir;
        dir.Write("templates/scripts/gate.sh", """
            #!/usr/bin/env bash
            echo "$ORCHESTRA_NODE $ORCHESTRA_OPERATION $ORCHESTRA_ATTEMPT started" >> "$TEST_DIR/runs.log"
            mkdir -p "$TEST_DIR/pids" && echo $$ > "$TEST_DIR/pids/$ORCHESTRA_NODE.pid.tmp" && mv "$TEST_DIR/pids/$ORCHESTRA_NODE.pid.tmp" "$TEST_DIR/pids/$ORCHESTRA_NODE.pid"
            end=$((SECONDS + 60))
            while [ -d "$TEST_DIR" ] && [ ! -e "$TEST_DIR/release/$ORCHESTRA_NODE" ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
            echo "$ORCHESTRA_NODE $ORCHESTRA_OPERATION $ORCHESTRA_ATTEMPT finished" >> "$TEST_DIR/runs.log"
            """);
        var inputs = $"{{ TEST_DIR: \"{dir.Path}\" }}";
        Path = dir.Write($"templates/{name}.yaml", $"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                a:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: scripts/gate.sh
                          inputs: {inputs}
                b:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: a
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: scripts/gate.sh
                          inputs: {inputs}
            """);
    }

    /// <summary>The template file.</summary>
    public string Path { get; }

    /// <summary>Lets the create of <paramref name="node"/> finish (now, or as soon as it starts).</summary>
    public void Release(string node)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(_dir.Path, "release"));
        File.WriteAllText(System.IO.Path.Combine(_dir.Path, "release", node), string.Empty);
    }

    /// <summary>Waits until the create of <paramref name="node"/> runs, and returns its pid.</summary>
    public Task<int> StartedAsync(string node, TimeSpan timeout) =>
        Eventually.PidFileAsync(System.IO.Path.Combine(_dir.Path, "pids", node + ".pid"), timeout);

    /// <summary>The lines of <c>runs.log</c> (none when nothing ran).</summary>
    public string[] Runs()
    {
        var log = System.IO.Path.Combine(_dir.Path, "runs.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }
}
