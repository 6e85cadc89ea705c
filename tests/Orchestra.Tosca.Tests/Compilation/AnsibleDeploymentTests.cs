using Orchestra.Actors.Persistence;
using Orchestra.Engine;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Testing;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>A template whose operations are Ansible playbooks deploys and undeploys on the engine with the real ansible-playbook.</summary>
[Trait("Category", "Integration")]
[RequiresAnsible]
public sealed class AnsibleDeploymentTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private const string Template = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        node_types:
          web_type:
            derived_from: tosca.nodes.SoftwareComponent
            attributes:
              url: { type: string }
            interfaces:
              Standard:
                inputs:
                  state_dir: { type: string, value: { get_input: state_dir } }
                operations:
                  create:
                    implementation:
                      primary: playbooks/create.yml
                      dependencies: [ files/index.html ]
                    inputs:
                      greeting: { type: string, value: { get_input: greeting } }
                  delete: playbooks/delete.yaml
          proxy_type:
            derived_from: tosca.nodes.SoftwareComponent
            attributes:
              proxied: { type: string }
            requirements:
              - backend: { capability: tosca.capabilities.Node, relationship: tosca.relationships.DependsOn }
            interfaces:
              Standard:
                operations:
                  create:
                    implementation: playbooks/proxy.yml
                    inputs:
                      upstream: { type: string, value: { get_attribute: [ web, url ] } }
        topology_template:
          inputs:
            state_dir: { type: string }
            greeting: { type: string }
          node_templates:
            workstation:
              type: tosca.nodes.Compute
              attributes: { public_address: localhost, private_address: localhost }
            web:
              type: web_type
              requirements: [ { host: workstation } ]
            proxy:
              type: proxy_type
              requirements: [ { host: workstation }, { backend: web } ]
          outputs:
            url: { value: { get_attribute: [ web, url ] } }
            proxied: { value: { get_attribute: [ proxy, proxied ] } }
        """;

    [ConditionalFact]
    public async Task Playbooks_DeployAndUndeploy_WithSetStatsFlowingIntoGetAttributeAndOutputs()
    {
        var state = Path.Combine(_files.Root, "state");
        _files.Write("files/index.html", "<h1>hi</h1>\n");
        _files.Write("playbooks/create.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - file: { path: "{{ state_dir }}", state: directory }
                - copy: { src: index.html, dest: "{{ state_dir }}/index.html" }
                - copy: { content: "{{ greeting }}", dest: "{{ state_dir }}/greeting.txt" }
                - set_stats:
                    data:
                      url: "http://{{ inventory_hostname }}:8080/"
            """);
        _files.Write("playbooks/proxy.yml", """
            - hosts: localhost
              gather_facts: false
              tasks:
                - set_stats: { data: { proxied: "proxy -> {{ upstream }}" } }
            """);
        _files.Write("playbooks/delete.yaml", """
            - hosts: all
              gather_facts: false
              tasks:
                - file: { path: "{{ state_dir }}", state: absent }
            """);
        var greeting = "don't {{ panic }} $(rm -rf ~)\n";
        var result = _files.Compile(Template, new Dictionary<string, object?> { ["state_dir"] = state, ["greeting"] = greeting });
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var create = result.Plan!.Nodes.Single(n => n.Name == "web").Operations.Single();
        Assert.Equal(new OutputReference("workstation", null, "public_address"), create.Host);

        await using var system = EngineActorSystem.Create("tosca-ansible");
        await using var host = new DeploymentsHost(system, new InMemoryPersistence(), new EngineOptions());
        await host.SubmitAsync("ansible", result.Plan!);
        var view = await host.WaitAsync("ansible").WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(view.Status == DeploymentStatus.Succeeded, $"{view.Status}: {string.Join("; ", view.Nodes.SelectMany(n => n.Tasks).Select(t => t.Error))}");
        Assert.Equal("http://localhost:8080/", view.Outputs["url"].GetString());
        Assert.Equal("proxy -> http://localhost:8080/", view.Outputs["proxied"].GetString());
        Assert.Equal("<h1>hi</h1>\n", await File.ReadAllTextAsync(Path.Combine(state, "index.html")));
        Assert.Equal(greeting, await File.ReadAllTextAsync(Path.Combine(state, "greeting.txt")));

        await host.UndeployAsync("ansible");
        var undeployed = await host.WaitAsync("ansible").WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(undeployed.Status == DeploymentStatus.Undeployed, $"{undeployed.Status}: {string.Join("; ", undeployed.Nodes.SelectMany(n => n.Tasks).Select(t => t.Error))}");
        Assert.False(Directory.Exists(state));
    }

    [ConditionalFact]
    public async Task FailingPlaybook_FailsTheDeployment_WithTheTasksError()
    {
        _files.Write("playbooks/create.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - name: Check the port
                  fail: { msg: "port 8080 is taken" }
            """);
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  interfaces: { Standard: { create: playbooks/create.yml } }
            """);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Null(result.Plan!.Nodes.Single().Operations.Single().Host);

        await using var system = EngineActorSystem.Create("tosca-ansible-fail");
        await using var host = new DeploymentsHost(system, new InMemoryPersistence(), new EngineOptions());
        await host.SubmitAsync("ansible-fail", result.Plan!);
        var view = await host.WaitAsync("ansible-fail").WaitAsync(TimeSpan.FromSeconds(120));

        Assert.NotEqual(DeploymentStatus.Succeeded, view.Status);
        var error = view.Nodes.Single().Tasks.Single(t => t.Error is not null).Error;
        Assert.Contains("task 'Check the port' failed on localhost: port 8080 is taken", error, StringComparison.Ordinal);
    }
}
