using Orchestra.Actors.Persistence;
using Orchestra.Engine;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>A compiled template runs on the engine: a bash script gets a list and a map holding an earlier script's output.</summary>
[Trait("Category", "Integration")]
public sealed class NestedRuntimeValueDeploymentTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Script_ReceivesListAndMapInputs_HoldingTheHostsOutput_AsJson()
    {
        Script("scripts/db.sh", """echo "private_address=10.1.2.3" >> "$ORCHESTRA_OUTPUTS" """);
        Script("scripts/app.sh", """
            printf 'servers=%s\nconfig=%s\n' "$servers" "$config" >> "$ORCHESTRA_OUTPUTS"
            python3 -c 'import json, os; print("parsed_host=" + json.loads(os.environ["config"])["host"])' >> "$ORCHESTRA_OUTPUTS"
            """);
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                db:
                  type: tosca.nodes.Compute
                  interfaces: { Standard: { create: scripts/db.sh } }
                app:
                  type: tosca.nodes.SoftwareComponent
                  requirements: [ { host: db } ]
                  interfaces:
                    Standard:
                      create:
                        implementation: scripts/app.sh
                        inputs:
                          servers: [ { get_attribute: [ HOST, private_address ] }, "10.0.0.2" ]
                          config: { host: { get_operation_output: [ db, Standard, create, private_address ] }, port: 5432 }
              outputs:
                endpoints: { value: [ { concat: [ { get_attribute: [ db, private_address ] }, ":5432" ] } ] }
            """);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));

        await using var system = EngineActorSystem.Create("tosca-nested");
        await using var host = new DeploymentsHost(system, new InMemoryPersistence(), new EngineOptions());
        await host.SubmitAsync("nested", result.Plan!);
        var view = await host.WaitAsync("nested").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(view.Status == DeploymentStatus.Succeeded, $"{view.Status}: {string.Join("; ", view.Nodes.SelectMany(n => n.Tasks).Select(t => t.Error))}");
        var outputs = view.Nodes.Single(n => n.Name == "app").Tasks.Single().Outputs;
        Assert.Equal("""["10.1.2.3","10.0.0.2"]""", outputs["servers"]);
        Assert.Equal("""{"host":"10.1.2.3","port":5432}""", outputs["config"]);
        Assert.Equal("10.1.2.3", outputs["parsed_host"]);
        Assert.Equal("""["10.1.2.3:5432"]""", view.Outputs["endpoints"].GetRawText());
    }

    private void Script(string name, string body)
    {
        var path = _files.Write(name, body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
