using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// The real <c>orchestra deploy</c> with real scripts: two node templates on one host run their operations one at a time
/// (TOSCA 1.3 7.2.3.1), unless an <c>orchestra.policies.ConcurrentOnHost</c> policy lets them overlap.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliCoHostedTests : IDisposable
{
    // Each script marks itself running, then watches for the other's mark while it runs (for at most 'patience' seconds), and
    // logs whether it saw it: "yes" proves that the two ran at the same time. Only a script that runs removes its own mark.
    private const string Rendezvous = """
        me="$ORCHESTRA_NODE"
        touch "$dir/$me.running"
        seen=no
        for i in $(seq 1 $((patience * 20))); do
          if [ -e "$dir/$other.running" ]; then seen=yes; break; fi
          sleep 0.05
        done
        echo "$me saw $other running: $seen" >> "$dir/log"
        rm -f "$dir/$me.running"
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Template(int patience, string policies) => _dir.Write("templates/cohosted.yaml", $$"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        node_types:
          test.Component:
            derived_from: tosca.nodes.SoftwareComponent
            properties:
              other: { type: string }
            interfaces:
              Standard:
                create:
                  implementation: rendezvous.sh
                  inputs:
                    other: { get_property: [ SELF, other ] }
                    dir: "{{_dir.Path}}"
                    patience: {{patience}}
        topology_template:
          node_templates:
            server: { type: tosca.nodes.Compute }
            a: { type: test.Component, properties: { other: b }, requirements: [ { host: server } ] }
            b: { type: test.Component, properties: { other: a }, requirements: [ { host: server } ] }
        {{policies}}
        """);

    [Fact]
    public async Task Deploy_TwoNodesOnOneHost_NeverRunTheirOperationsAtTheSameTime()
    {
        _dir.Write("templates/rendezvous.sh", Rendezvous);
        Template(patience: 1, policies: string.Empty);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/cohosted.yaml", "--store", _dir.Store);

        Assert.True(result.ExitCode == 0, result.ToString());
        var log = File.ReadAllLines(Path.Combine(_dir.Path, "log"));
        Assert.Equal(["a saw b running: no", "b saw a running: no"], log.Order());
    }

    [Fact]
    public async Task Deploy_WithAConcurrentOnHostPolicy_RunsThemAtTheSameTime()
    {
        _dir.Write("templates/rendezvous.sh", Rendezvous);
        Template(patience: 60, policies: """
              policies:
                - side_by_side: { type: orchestra.policies.ConcurrentOnHost, targets: [ a, b ] }
            """);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/cohosted.yaml", "--store", _dir.Store);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(File.ReadAllLines(Path.Combine(_dir.Path, "log")), line => line.EndsWith("running: yes", StringComparison.Ordinal));
    }
}
