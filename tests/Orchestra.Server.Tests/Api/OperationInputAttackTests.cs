using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestra.Server.Tests.Api;

/// <summary>An inline template whose operation input is named after a variable bash acts on, posted over HTTP: refused with its position, nothing run.</summary>
[Trait("Category", "Integration")]
public sealed class OperationInputAttackTests
{
    private static string Template(string pwned) => $$"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            web:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create:
                    implementation: create.sh
                    inputs:
                      BASH_ENV: "$(id > {{pwned}})"
        """;

    [Theory]
    [InlineData("/api/deployments")]
    [InlineData("/api/templates/plan")]
    public async Task InlineTemplate_WithABashEnvInput_Is422AtTheInput_AndRunsNothing(string endpoint)
    {
        await using var host = await ApiHost.StartAsync();
        var pwned = Path.Combine(host.Root, "pwned");
        var ran = Path.Combine(host.Root, "ran");
        host.WriteTemplate("create.sh", $"touch '{ran}'\n");

        var response = await host.Client.PostAsJsonAsync(endpoint, new { id = "attack", template = Template(pwned), baseDirectory = host.Templates });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("TOS306", error.GetProperty("code").GetString());
        Assert.Equal(11, error.GetProperty("line").GetInt32());
        Assert.Equal(15, error.GetProperty("column").GetInt32());
        Assert.Contains("BASH_ENV", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var deployments = await host.Client.GetFromJsonAsync<JsonElement>("/api/deployments");
        Assert.Equal(0, deployments.GetArrayLength());
        Assert.False(File.Exists(pwned), "the input ran code as the server's user");
        Assert.False(File.Exists(ran));
    }
}
