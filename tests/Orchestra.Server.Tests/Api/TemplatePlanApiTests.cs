using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestra.Server.Tests.Api;

/// <summary><c>POST /api/templates/plan</c>: compiles on the server under its policy, deploys nothing.</summary>
[Trait("Category", "Integration")]
public sealed class TemplatePlanApiTests
{
    [Fact]
    public async Task Plan_ValidTemplate_Is200WithPlan_AndDeploysNothing()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("noop.yaml", ApiTests.Noop);

        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = path });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("plan").GetProperty("nodes").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("diagnostics").ValueKind);
        var deployments = await host.Client.GetFromJsonAsync<JsonElement>("/api/deployments");
        Assert.Equal(0, deployments.GetArrayLength());
    }

    [Fact]
    public async Task Plan_InlineTemplate_Is200()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { template = ApiTests.Noop, baseDirectory = host.Templates });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Plan_InvalidTemplate_Is422WithPositionedErrors()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("broken.yaml", ApiTests.Broken);

        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = path });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var error = problem.GetProperty("errors")[0];
        Assert.Equal("error", error.GetProperty("severity").GetString());
        Assert.Equal(5, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Plan_TemplateOutsideAllowedDirectories_Is403()
    {
        await using var host = await ApiHost.StartAsync();
        var outside = Path.Combine(Path.GetTempPath(), $"orchestra-outside-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(outside, ApiTests.Noop);
        try
        {
            var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = outside });

            await ApiTests.ProblemAsync(response, HttpStatusCode.Forbidden, "urn:orchestra:problem:template-not-allowed");
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task Plan_BadOnFailure_Is400()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("noop.yaml", ApiTests.Noop);

        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = path, onFailure = "explode" });

        await ApiTests.ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
    }

    [Fact]
    public async Task Plan_WithTokenConfigured_WithoutTokenIs401_WithTokenIs200()
    {
        await using var host = await ApiHost.StartAsync(token: "t0ken");
        var path = host.WriteTemplate("noop.yaml", ApiTests.Noop);

        var anonymous = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = path });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/templates/plan") { Content = JsonContent.Create(new { templatePath = path }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t0ken");
        var authorized = await host.Client.SendAsync(request);

        await ApiTests.ProblemAsync(anonymous, HttpStatusCode.Unauthorized, "urn:orchestra:problem:unauthorized");
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesThePlanEndpoint()
    {
        await using var host = await ApiHost.StartAsync();

        var document = await host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/templates/plan", out var path));
        Assert.True(path.TryGetProperty("post", out _));
    }
}
