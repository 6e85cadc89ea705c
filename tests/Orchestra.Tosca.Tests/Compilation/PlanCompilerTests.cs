using System.Text.Json;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

[Trait("Category", "Unit")]
public sealed class PlanCompilerTests : IDisposable
{
    private const string Header = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Lifecycle_IsOrdered_WithRelationshipOperationsAndTeardown()
    {
        foreach (var script in new[] { "pre", "post", "add", "remove", "create", "configure", "start", "stop", "delete" })
        {
            _files.Write($"scripts/{script}.sh", "#!/bin/bash\n");
        }

        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                app:
                  type: tosca.nodes.SoftwareComponent
                  requirements:
                    - host: server
                    - dependency:
                        node: db
                        relationship:
                          type: tosca.relationships.ConnectsTo
                          interfaces:
                            Configure:
                              pre_configure_source: scripts/pre.sh
                              post_configure_target: scripts/post.sh
                              add_source: scripts/add.sh
                              remove_target: scripts/remove.sh
                  interfaces:
                    Standard:
                      create: scripts/create.sh
                      configure: scripts/configure.sh
                      start: { implementation: { primary: scripts/start.sh, timeout: 30 } }
                      stop: scripts/stop.sh
                      delete: scripts/delete.sh
                db:
                  type: tosca.nodes.Root
                server:
                  type: tosca.nodes.Compute
            """);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var app = result.Plan!.FindNode("app")!;
        Assert.Equal(
            ["Standard.create", "Configure.pre_configure_source@db", "Standard.configure", "Configure.post_configure_target@db", "Standard.start", "Configure.add_source@db"],
            app.Operations.Select(o => o.Name));
        Assert.Equal(["Standard.stop", "Configure.remove_target@db", "Standard.delete"], app.Teardown.Select(o => o.Name));
        Assert.Equal(["server", "db"], app.DependsOn);
        Assert.Equal("Standard.delete", app.Operations[0].Revert!.Name);
        Assert.Equal("Standard.stop", app.Operations[4].Revert!.Name);
        Assert.Null(app.Operations[2].Revert);
        Assert.Equal(TimeSpan.FromSeconds(30), app.Operations[4].Timeout);
        Assert.Empty(PlanValidator.Validate(result.Plan));
    }

    [Fact]
    public void Cycle_IsReportedWithTheWholeCycle_AtTheRequirement()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                a:
                  type: tosca.nodes.Root
                  requirements: [ { dependency: b } ]
                b:
                  type: tosca.nodes.Root
                  requirements: [ { dependency: c } ]
                c:
                  type: tosca.nodes.Root
                  requirements: [ { dependency: a } ]
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.DependencyCycle, error.Code);
        Assert.Contains("a -> b -> c -> a", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Location.Line);
    }

    [Fact]
    public void Functions_AreResolvedAtCompileTime_OrKeptAsRuntimeReferences()
    {
        var result = _files.Compile(Header + """
            topology_template:
              inputs:
                port: { type: integer, default: 80 }
              node_templates:
                server:
                  type: tosca.nodes.Compute
                  capabilities:
                    host: { properties: { num_cpus: 2 } }
                db:
                  type: tosca.nodes.DBMS
                  properties: { port: { get_input: port } }
                  requirements: [ { host: server } ]
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          port: { get_property: [ SELF, port ] }
                          cpus: { get_property: [ HOST, host, num_cpus ] }
                          url: { concat: [ "http://", { get_attribute: [ HOST, private_address ] }, ":", { get_property: [ SELF, port ] } ] }
                          first: { token: [ "a.b.c", ".", 1 ] }
                          joined: { join: [ [ x, y ], "-" ] }
                          out: { get_operation_output: [ SELF, Standard, create, id ] }
              outputs:
                address: { value: { get_attribute: [ server, private_address ] } }
            """, new Dictionary<string, object?> { ["port"] = "8080" });
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var inputs = result.Plan!.FindNode("db")!.Operations[0].Inputs;
        Assert.Equal(8080, ((LiteralValue)inputs["port"]).Value.GetInt32());
        Assert.Equal(2, ((LiteralValue)inputs["cpus"]).Value.GetInt32());
        var url = Assert.IsType<ConcatValue>(inputs["url"]);
        Assert.Equal(new OutputReference("server", null, "private_address"), url.Parts[1]);
        Assert.Equal("b", ((LiteralValue)inputs["first"]).Value.GetString());
        Assert.Equal("x-y", ((LiteralValue)inputs["joined"]).Value.GetString());
        Assert.Equal(new OutputReference("db", "Standard.create", "id"), inputs["out"]);
        Assert.Equal(new OutputReference("server", null, "private_address"), result.Plan.Outputs[0].Value);
    }

    [Fact]
    public void RetryAndOnFailurePolicies_ApplyToTargetsAndGroupMembers()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                a: { type: tosca.nodes.Root, interfaces: { Standard: { create: orchestra:noop } } }
                b: { type: tosca.nodes.Root, interfaces: { Standard: { create: orchestra:noop } } }
                c: { type: tosca.nodes.Root, interfaces: { Standard: { create: orchestra:noop } } }
              groups:
                g: { type: tosca.groups.Root, members: [ b ] }
              policies:
                - retry:
                    type: orchestra.policies.Retry
                    properties: { max_attempts: 5, delay: 2 s, backoff: exponential, max_delay: 1 m }
                    targets: [ a, g ]
                - fail:
                    type: orchestra.policies.OnFailure
                    properties: { action: rollback }
                    targets: [ g ]
            """);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var expected = new RetryPolicy(5, TimeSpan.FromSeconds(2), BackoffKind.Exponential, TimeSpan.FromMinutes(1));
        Assert.Equal(expected, result.Plan!.FindNode("a")!.Operations[0].Retry);
        Assert.Equal(expected, result.Plan.FindNode("b")!.Operations[0].Retry);
        Assert.Null(result.Plan.FindNode("c")!.Operations[0].Retry);
        Assert.Equal(FailureAction.Rollback, result.Plan.FindNode("b")!.FailureAction);
        Assert.Null(result.Plan.FindNode("a")!.FailureAction);
    }

    [Fact]
    public void RetryPolicy_WithInvalidBackoff_IsRejected()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                a: { type: tosca.nodes.Root }
              policies:
                - retry: { type: orchestra.policies.Retry, properties: { backoff: linear }, targets: [ a ] }
            """);
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.ConstraintViolated && e.Message.Contains("backoff", StringComparison.Ordinal));
    }

    [Fact]
    public void NodeFilter_SelectsTheMatchingTemplate()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                small: { type: tosca.nodes.Compute, capabilities: { host: { properties: { num_cpus: 1 } } } }
                big: { type: tosca.nodes.Compute, capabilities: { host: { properties: { num_cpus: 8 } } } }
                db:
                  type: tosca.nodes.DBMS
                  requirements:
                    - host:
                        node_filter:
                          capabilities:
                            - host: { properties: [ { num_cpus: { greater_or_equal: 4 } } ] }
            """);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(["big"], result.Plan!.FindNode("db")!.DependsOn);
    }

    [Fact]
    public void CliInputs_AreConvertedToTheDeclaredType_OrRejectedAtTheDeclaration()
    {
        const string template = Header + """
            topology_template:
              inputs:
                port: { type: integer }
                tags: { type: list, entry_schema: { type: string } }
                enabled: { type: boolean }
                size: { type: scalar-unit.size, constraints: [ { greater_than: 1 GB } ] }
            """;
        var ok = _files.Compile(template, new Dictionary<string, object?> { ["port"] = "8080", ["tags"] = "[\"a\", \"b\"]", ["enabled"] = "true", ["size"] = "2 GB" });
        Assert.True(ok.Success, string.Join("\n", ok.Diagnostics));
        Assert.Equal(["port", "tags", "enabled", "size"], ok.Inputs.Select(i => i.Name));

        var bad = _files.Compile(template, new Dictionary<string, object?> { ["port"] = "eighty", ["tags"] = "[]", ["enabled"] = "true", ["size"] = "512 MB", ["prot"] = "1" });
        Assert.Contains(bad.Errors, e => e.Code == ErrorCodes.InvalidInputValue && e.Message.Contains("input 'port'", StringComparison.Ordinal) && e.Location.Line == 4);
        Assert.Contains(bad.Errors, e => e.Code == ErrorCodes.InvalidInputValue && e.Message.Contains("input 'size'", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Code == ErrorCodes.UndeclaredInput && e.Suggestion == "did you mean 'port'?");
    }

    [Fact]
    public void JsonInputs_AreAccepted()
    {
        using var doc = JsonDocument.Parse("{\"n\": 3}");
        var result = _files.Compile(Header + "topology_template:\n  inputs:\n    n: { type: integer, constraints: [ { less_than: 5 } ] }\n",
            new Dictionary<string, object?> { ["n"] = doc.RootElement.GetProperty("n") });
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void MissingInput_IsAnError_OrAWarningWhenNotRequired()
    {
        const string template = Header + "topology_template:\n  inputs:\n    secret: { type: string }\n";
        Assert.Contains(_files.Compile(template).Errors, d => d.Code == ErrorCodes.MissingInputValue);
        Assert.Contains(_files.Compile(template, options: new ToscaCompilerOptions { RequireAllInputs = false }).Diagnostics, d => d.Code == ErrorCodes.MissingInputValue && !d.IsError);
    }
}
