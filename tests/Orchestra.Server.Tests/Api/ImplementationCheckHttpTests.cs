using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestra.Server.Tests.Api;

/// <summary>
/// Over HTTP the server refuses an implementation that would certainly fail (TOS609) inside its allowed directories, and answers
/// TOS109, the same for a file that exists as for one that does not, outside them: the check is no probe for files.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ImplementationCheckHttpTests
{
    private static string Running(string implementation) => $"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            web:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create: {implementation}
        """;

    private static async Task<JsonElement> SingleErrorAsync(ApiHost host, string implementation)
    {
        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { template = Running(implementation), baseDirectory = host.Templates })
            .WaitAsync(TimeSpan.FromSeconds(20));
        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        return Assert.Single(problem.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Plan_MissingImplementationInsideTheAllowedDirectories_Is422Tos609AtTheImplementation()
    {
        await using var host = await ApiHost.StartAsync();

        var error = await SingleErrorAsync(host, "scripts/not_there.sh");

        Assert.Equal("TOS609", error.GetProperty("code").GetString());
        Assert.Equal(8, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Plan_ImplementationOutside_IsTheSameTos109_WhetherTheFileExistsOrNot()
    {
        await using var host = await ApiHost.StartAsync();
        var outside = Directory.CreateDirectory(Path.Combine(host.Root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "x.sh"), "#!/bin/bash\n");

        var existing = await SingleErrorAsync(host, Path.Combine(outside, "x.sh"));
        File.Delete(Path.Combine(outside, "x.sh"));
        var missing = await SingleErrorAsync(host, Path.Combine(outside, "x.sh"));

        Assert.Equal("TOS109", existing.GetProperty("code").GetString());
        Assert.Equal(existing.GetRawText(), missing.GetRawText());
    }
}
