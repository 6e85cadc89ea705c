using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>
/// TOSCA 1.3 section 7.2.3.1: operations of node templates hosted on the same host do not run at the same time, unless an
/// <c>orchestra.policies.ConcurrentOnHost</c> policy allows it; operations Orchestra does not run are warned about.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CoHostedNodeTests : IDisposable
{
    private const string Header = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
    private const string Topology = """
        topology_template:
          node_templates:
            server: { type: tosca.nodes.Compute }
            other_server: { type: tosca.nodes.Compute }
            dbms: { type: tosca.nodes.DBMS, requirements: [ { host: server } ] }
            db: { type: tosca.nodes.Database, properties: { name: app }, requirements: [ { host: dbms } ] }
            web: { type: tosca.nodes.WebServer, requirements: [ { host: server } ] }
            alone: { type: tosca.nodes.WebServer, requirements: [ { host: other_server } ] }
            free: { type: tosca.nodes.Root }
        """;

    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private Dictionary<string, string?> Groups(string template)
    {
        var result = _files.Compile(Header + template);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Plan!.Nodes.ToDictionary(n => n.Name, n => n.ExclusiveGroup);
    }

    [Fact]
    public void NodesOnTheSameHost_ShareAnExclusiveGroup_NamedAfterTheHost()
    {
        var groups = Groups(Topology);

        Assert.Equal("server", groups["dbms"]);
        Assert.Equal("server", groups["db"]);
        Assert.Equal("server", groups["web"]);
        Assert.Equal("server", groups["server"]);
        Assert.Equal("other_server", groups["alone"]);
        Assert.Null(groups["free"]);
    }

    [Fact]
    public void ConcurrentOnHostPolicy_FreesItsTargets_OrTheWholeTopologyWithoutTargets()
    {
        var targeted = Groups(Topology + """

              policies:
                - parallel_web: { type: orchestra.policies.ConcurrentOnHost, targets: [ web ] }
            """);
        Assert.Null(targeted["web"]);
        Assert.Equal("server", targeted["dbms"]);

        var everywhere = Groups(Topology + """

              policies:
                - parallel: { type: orchestra.policies.ConcurrentOnHost }
            """);
        Assert.All(everywhere.Values, Assert.Null);
    }

    [Fact]
    public void OperationsOfInterfacesOrchestraDoesNotRun_AreWarnedAt()
    {
        var result = _files.Compile(Header + """
            interface_types:
              test.Maintenance:
                derived_from: tosca.interfaces.Root
                operations:
                  backup: {}
                  check: {}
                notifications:
                  on_alarm: {}
            node_types:
              test.Service:
                derived_from: tosca.nodes.Root
                interfaces:
                  Maintenance:
                    type: test.Maintenance
                    operations:
                      backup: orchestra:noop
                      check: {}
                    notifications:
                      on_alarm: orchestra:noop
            topology_template:
              node_templates:
                one: { type: test.Service }
                two: { type: test.Service }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warnings = result.Diagnostics.Where(d => d.Code == ErrorCodes.OperationNotRun).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Location.Line == 17 && w.Message.Contains("'Maintenance.backup'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Location.Line == 20 && w.Message.Contains("notification", StringComparison.Ordinal));
    }

    [Fact]
    public void PolicyTriggerActions_AreWarnedAt()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                n: { type: tosca.nodes.Root }
              policies:
                - scale:
                    type: tosca.policies.Scaling
                    targets: [ n ]
                    triggers:
                      on_load:
                        event: load_high
                        action:
                          - call_operation: Standard.start
            """);

        var warning = Assert.Single(result.Diagnostics, d => d.Code == ErrorCodes.OperationNotRun);
        Assert.Equal(10, warning.Location.Line);
        Assert.Contains("trigger 'on_load'", warning.Message, StringComparison.Ordinal);
    }
}
