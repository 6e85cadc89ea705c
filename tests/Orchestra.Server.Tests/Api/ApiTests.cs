using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orchestra.Server.Tests.Api;

/// <summary>Routing, validation of requests, problem details and auth, in-process against a real engine on a temporary SQLite store.</summary>
[Trait("Category", "Integration")]
public sealed class ApiTests
{
    internal const string Noop = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            only:
              type: tosca.nodes.Root
        """;

    internal const string Broken = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            only:
              type: tosca.nodes.Nope
        """;

    internal static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(type, problem.GetProperty("type").GetString());
        return problem;
    }

    [Fact]
    public async Task Healthz_AfterStart_IsOk()
    {
        await using var host = await ApiHost.StartAsync();

        var health = await host.Client.GetFromJsonAsync<JsonElement>("/healthz");

        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Submit_ValidTemplate_Creates_ThenIsIdempotent()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("noop.yaml", Noop);

        var first = await host.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path });
        var second = await host.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("/api/deployments/noop", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var view = await host.Client.GetFromJsonAsync<JsonElement>("/api/deployments/noop");
        Assert.Equal("noop", view.GetProperty("deploymentId").GetString());
    }

    [Fact]
    public async Task Submit_InlineTemplateWithBaseDirectory_Works_AndWithoutIdIsRejected()
    {
        await using var host = await ApiHost.StartAsync();

        var ok = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "inline", template = Noop, baseDirectory = host.Templates });
        var noId = await host.Client.PostAsJsonAsync("/api/deployments", new { template = Noop, baseDirectory = host.Templates });
        var noBase = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "x", template = Noop });
        var outside = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "x", template = Noop, baseDirectory = "/tmp" });

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        await ProblemAsync(noId, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        var missing = await ProblemAsync(noBase, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        Assert.Contains("baseDirectory", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(outside, HttpStatusCode.Forbidden, "urn:orchestra:problem:template-not-allowed");
    }

    [Fact]
    public async Task Submit_InvalidTemplate_Is422WithPositionedErrors()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("broken.yaml", Broken);

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path });

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var error = problem.GetProperty("errors")[0];
        Assert.Equal("error", error.GetProperty("severity").GetString());
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.True(error.GetProperty("column").GetInt32() > 0);
        Assert.StartsWith("TOS", error.GetProperty("code").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"templatePath\": 5}")]
    [InlineData("{}")]
    [InlineData("null")]
    public async Task Submit_MalformedOrIncompleteBody_Is400(string body)
    {
        await using var host = await ApiHost.StartAsync();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/api/deployments", content);

        await ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
    }

    [Fact]
    public async Task Submit_NotJson_Is415()
    {
        await using var host = await ApiHost.StartAsync();

        using var content = new StringContent("templatePath=/x", Encoding.UTF8, "text/plain");
        var response = await host.Client.PostAsync("/api/deployments", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Submit_OversizedBody_Is413()
    {
        await using var host = await ApiHost.StartAsync(maxBody: 1024);

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "big", template = new string('#', 4096), baseDirectory = host.Templates });

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:orchestra:problem:payload-too-large");
    }

    [Theory]
    [InlineData("{\"templatePath\": \"relative/x.yaml\"}", "absolute")]
    [InlineData("{\"templatePath\": \"/etc/passwd\"}", "outside")]
    [InlineData("{\"id\": \"bad id!\", \"template\": \"x\", \"baseDirectory\": \"/\"}", "not a valid deployment name")]
    [InlineData("{\"templatePath\": \"TEMPLATES/none.yaml\"}", "no template file")]
    [InlineData("{\"templatePath\": \"TEMPLATES/noop.yaml\", \"onFailure\": \"explode\"}", "onFailure")]
    public async Task Submit_BadFields_AreProblemsThatSayWhatIsWrong(string body, string expected)
    {
        await using var host = await ApiHost.StartAsync();
        host.WriteTemplate("noop.yaml", Noop);

        using var content = new StringContent(body.Replace("TEMPLATES", host.Templates, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/api/deployments", content);

        Assert.True((int)response.StatusCode is 400 or 403, response.StatusCode.ToString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDeployment_Is404Everywhere()
    {
        await using var host = await ApiHost.StartAsync();

        foreach (var path in new[] { "/api/deployments/nope", "/api/deployments/nope/plan", "/api/deployments/nope/history", "/api/deployments/nope/outputs" })
        {
            await ProblemAsync(await host.Client.GetAsync(path), HttpStatusCode.NotFound, "urn:orchestra:problem:deployment-not-found");
        }

        foreach (var action in new[] { "cancel", "pause", "resume", "retry", "undeploy" })
        {
            await ProblemAsync(await host.Client.PostAsync($"/api/deployments/nope/{action}", null), HttpStatusCode.NotFound, "urn:orchestra:problem:deployment-not-found");
        }
    }

    [Fact]
    public async Task List_UnknownStatusFilter_Is400()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.Client.GetAsync("/api/deployments?status=Exploded");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        Assert.Contains("Running", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Configured_EveryApiRequestWithoutItIs401_HealthzIsOpen()
    {
        await using var host = await ApiHost.StartAsync(token: "t0ken");

        await ProblemAsync(await host.Client.GetAsync("/api/deployments"), HttpStatusCode.Unauthorized, "urn:orchestra:problem:unauthorized");
        await ProblemAsync(await host.Client.GetAsync("/openapi/v1.json"), HttpStatusCode.Unauthorized, "urn:orchestra:problem:unauthorized");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t0ken");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheApi()
    {
        await using var host = await ApiHost.StartAsync();

        var document = await host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/deployments", out _));
        Assert.True(paths.TryGetProperty("/api/deployments/{id}/undeploy", out _));
        Assert.True(paths.TryGetProperty("/api/events", out _));
        Assert.True(paths.TryGetProperty("/healthz", out _));
    }

    [Fact]
    public async Task UnknownRoute_Is404ProblemDetails()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.Client.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ADeploymentWhoseJournalCannotBeRead_Is503NamingTheEvent_AndTheOthersStillList()
    {
        var root = Directory.CreateTempSubdirectory("orchestra-api-broken-").FullName;
        try
        {
            await using (var first = await ApiHost.StartAsync(root: root))
            {
                var path = first.WriteTemplate("noop.yaml", Noop);
                Assert.Equal(HttpStatusCode.Created, (await first.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path })).StatusCode);
                Assert.Equal(HttpStatusCode.Created, (await first.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path, id = "other" })).StatusCode);
            }

            var db = Path.Combine(root, "store", "orchestra.db");
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var corrupt = connection.CreateCommand();
                corrupt.CommandText = "UPDATE journal SET payload = X'00FF' WHERE persistence_id = 'deployment-noop' AND sequence_nr = 1";
                Assert.Equal(1, await corrupt.ExecuteNonQueryAsync());
            }

            await using var second = await ApiHost.StartAsync(root: root);
            var problem = await ProblemAsync(await second.Client.GetAsync("/api/deployments/noop"), HttpStatusCode.ServiceUnavailable, "urn:orchestra:problem:deployment-unavailable");
            Assert.Equal("noop", problem.GetProperty("deploymentId").GetString());
            Assert.Contains("engine.deployment-submitted.v1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            var list = await second.Client.GetFromJsonAsync<JsonElement>("/api/deployments");
            Assert.Equal(["other"], list.EnumerateArray().Select(d => d.GetProperty("deploymentId").GetString()));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }
}
