using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestra.Server.Tests.Api;

/// <summary>Submissions an attacker would try over HTTP: names that cannot be addressed, NUL bytes in paths, a burst of identical requests.</summary>
[Trait("Category", "Integration")]
public sealed class SubmissionAttackTests
{
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    public async Task Submit_NameOfOnlyDots_Is400_AndCreatesNothing(string id)
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("noop.yaml", ApiTests.Noop);

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { id, templatePath = path });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        Assert.Contains("not a valid deployment name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.Client.GetFromJsonAsync<JsonElement[]>("/api/deployments") ?? []);
    }

    [Fact]
    public async Task Submit_NamesWithDotsAmongOtherCharacters_AreStillAccepted()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("noop.yaml", ApiTests.Noop);

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "web.v1..2", templatePath = path });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/deployments/web.v1..2")).StatusCode);
    }

    [Fact]
    public async Task Submit_NulByteInTemplatePath_Is400()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("noop.yaml", ApiTests.Noop);

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "nul", templatePath = path + "\0.txt" });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        Assert.Contains("'templatePath'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_NulByteInBaseDirectory_Is400()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "nul", template = ApiTests.Noop, baseDirectory = host.Templates + "\0" });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        Assert.Contains("'baseDirectory'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_NulByteInTemplatePath_Is400()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = host.Templates + "/\0x.yaml" });

        await ApiTests.ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
    }

    [Fact]
    public async Task Submit_FiftyIdenticalAtOnce_ExactlyOneIsCreated_TheOthersAreOk()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("noop.yaml", ApiTests.Noop);

        // Several rounds, each on a fresh name: the race it guards against is between requests for a name nobody has yet.
        for (var round = 0; round < 3; round++)
        {
            var id = $"burst-{round}";
            var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
                host.Client.PostAsJsonAsync("/api/deployments", new { id, templatePath = path })));

            var codes = responses.Select(r => r.StatusCode).ToList();
            Assert.True(codes.Count(c => c == HttpStatusCode.Created) == 1, $"round {round}: " + string.Join(", ", codes.GroupBy(c => c).Select(g => $"{g.Count()} x {(int)g.Key}")));
            Assert.All(codes, c => Assert.True(c is HttpStatusCode.Created or HttpStatusCode.OK, $"unexpected {(int)c}"));
        }

        Assert.Equal(3, (await host.Client.GetFromJsonAsync<JsonElement[]>("/api/deployments"))!.Length);
    }

    [Fact]
    public async Task Submit_FiftyDifferentAtOnceUnderOneName_OneIsCreated_TheOthersConflict()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("greet.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              inputs:
                greeting: { type: string }
              node_templates:
                only:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create: { implementation: orchestra:noop, inputs: { text: { get_input: greeting } } }
            """);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            host.Client.PostAsJsonAsync("/api/deployments", new { id = "contested", templatePath = path, inputs = new Dictionary<string, string> { ["greeting"] = $"hello {i}" } })));

        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, codes.Count(c => c == HttpStatusCode.Created));
        Assert.Equal(49, codes.Count(c => c == HttpStatusCode.Conflict));
    }
}
