using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orchestra.Server.Tests.Api;

/// <summary>What one submission may make the server compile and journal: each limit is a clear problem, and nothing is stored.</summary>
[Trait("Category", "Integration")]
public sealed class SubmissionLimitTests
{
    private const string BlobTemplate = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          inputs:
            blob: { type: string }
          node_templates:
            only:
              type: tosca.nodes.Root
              properties: {}
              interfaces:
                Standard:
                  create: { implementation: orchestra:noop, inputs: { b: { get_input: blob } } }
        """;

    // 702 bytes: a 100-character string multiplied by eight at each of five levels of aliases, given to every Standard operation.
    private static string AliasTemplate()
    {
        var sb = new StringBuilder("tosca_definitions_version: tosca_simple_yaml_1_3\ndsl_definitions:\n  s: &l0 ").Append('x', 100).Append('\n');
        for (var i = 1; i <= 5; i++)
        {
            sb.Append($"  l{i}: &l{i} [").Append(string.Join(",", Enumerable.Repeat($"*l{i - 1}", 8))).Append("]\n");
        }

        return sb.Append("""
            topology_template:
              node_templates:
                n:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      inputs: { blob: *l5 }
                      create: orchestra:noop
                      configure: orchestra:noop
                      start: orchestra:noop
                      stop: orchestra:noop
                      delete: orchestra:noop

            """).ToString();
    }

    private static long StoreBytes(ApiHost host) =>
        Directory.EnumerateFiles(Path.Combine(host.Root, "store")).Sum(f => new FileInfo(f).Length);

    [Fact]
    public async Task Submit_SmallTemplateWhosePlanWouldBeTensOfMegabytes_Is422_WithTOS607AtTheNodeTemplate()
    {
        await using var host = await ApiHost.StartAsync();
        var template = AliasTemplate();
        Assert.True(Encoding.UTF8.GetByteCount(template) < 800);

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "aliases", template, baseDirectory = host.Templates });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("TOS607", error.GetProperty("code").GetString());
        Assert.Equal(11, error.GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/deployments/aliases")).StatusCode);
    }

    [Fact]
    public async Task Submit_TenMegabyteInput_Is422_WithTOS608AtTheInput_AndStoresNothing()
    {
        await using var host = await ApiHost.StartAsync(maxBody: 64L * 1024 * 1024);
        var path = host.WriteTemplate("blob.yaml", BlobTemplate);
        await host.Client.PostAsJsonAsync("/api/deployments", new { id = "warm", templatePath = path, inputs = new Dictionary<string, string> { ["blob"] = "x" } });
        var before = StoreBytes(host);

        var response = await host.Client.PostAsJsonAsync("/api/deployments",
            new { id = "big", templatePath = path, inputs = new Dictionary<string, string> { ["blob"] = new string('x', 10_000_000) } });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("TOS608", error.GetProperty("code").GetString());
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/deployments/big")).StatusCode);
        Assert.True(StoreBytes(host) - before < 1024 * 1024, $"the store grew by {StoreBytes(host) - before} bytes");
    }

    [Fact]
    public async Task Submit_TenMegabyteInput_UnderTheDefaultBodyLimit_Is413()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("blob.yaml", BlobTemplate);

        var response = await host.Client.PostAsJsonAsync("/api/deployments",
            new { id = "big", templatePath = path, inputs = new Dictionary<string, string> { ["blob"] = new string('x', 10_000_000) } });

        await ApiTests.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:orchestra:problem:payload-too-large");
    }

    [Fact]
    public async Task CompilerLimits_AreReadFromConfiguration()
    {
        await using var host = await ApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Orchestra:Compiler:MaxInputBytes"] = "100" });
        var path = host.WriteTemplate("blob.yaml", BlobTemplate);

        var response = await host.Client.PostAsJsonAsync("/api/deployments",
            new { id = "medium", templatePath = path, inputs = new Dictionary<string, string> { ["blob"] = new string('x', 200) } });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        Assert.Equal("TOS608", problem.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Submit_PlanOverTheEngineLimit_Is413_NamingTheLimit_AndStoresNothing()
    {
        await using var host = await ApiHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Orchestra:Compiler:MaxPlanBytes"] = "100000000",
            ["Orchestra:Engine:MaxPlanBytes"] = "65536",
        });
        var path = host.WriteTemplate("blob.yaml", BlobTemplate);

        var response = await host.Client.PostAsJsonAsync("/api/deployments",
            new { id = "big", templatePath = path, inputs = new Dictionary<string, string> { ["blob"] = new string('x', 100_000) } });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:orchestra:problem:payload-too-large");
        Assert.Contains("EngineOptions.MaxPlanBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/deployments/big")).StatusCode);
    }
}
