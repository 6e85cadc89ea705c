using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>Runs and delete through <c>orchestra serve</c>'s HTTP API, and the CLI against the server.</summary>
[Trait("Category", "Integration")]
public sealed class ServerRunsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Api_SubmitAfterUndeploy_StartsRun2_RunQueryReadsRun1_DeleteRefusesLiveThenForgets()
    {
        var template = TestTemplates.Chain(_dir);
        await using var server = await ServerProcess.StartAsync(_dir, Path.Combine(_dir.Path, "templates"));
        var http = server.Http;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("api/deployments", new { id = "web", templatePath = template })).StatusCode);
        await server.WaitForDeploymentAsync("web", v => v.GetProperty("status").GetString() == "Succeeded", Patience);

        using (var live = await http.DeleteAsync("api/deployments/web"))
        {
            var problem = await AssertProblemAsync(live, HttpStatusCode.Conflict, "urn:orchestra:problem:invalid-state");
            Assert.Contains("undeploy it first", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("Succeeded", problem.GetProperty("deploymentStatus").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("api/deployments/web/undeploy", null)).StatusCode);
        await server.WaitForDeploymentAsync("web", v => v.GetProperty("status").GetString() == "Undeployed", Patience);

        // A new run, once; the same request again is idempotent.
        var created = await http.PostAsJsonAsync("api/deployments", new { id = "web", templatePath = template });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run").GetInt32());
        var retried = await http.PostAsJsonAsync("api/deployments", new { id = "web", templatePath = template });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await server.WaitForDeploymentAsync("web", v => v.GetProperty("run").GetInt32() == 2 && v.GetProperty("status").GetString() == "Succeeded", Patience);

        var first = await http.GetFromJsonAsync<JsonElement>("api/deployments/web?run=1");
        Assert.Equal(("Undeployed", 1), (first.GetProperty("status").GetString(), first.GetProperty("run").GetInt32()));
        var history = await http.GetFromJsonAsync<JsonElement>("api/deployments/web/history?run=1");
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("kind").GetString() == "deployment-undeployed");
        Assert.Equal("hello from c", (await http.GetFromJsonAsync<JsonElement>("api/deployments/web/outputs?run=1")).GetProperty("greeting").GetString());
        await AssertProblemAsync(await http.GetAsync("api/deployments/web?run=3"), HttpStatusCode.NotFound, "urn:orchestra:problem:deployment-not-found");
        await AssertProblemAsync(await http.GetAsync("api/deployments/web?run=0"), HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        var list = await http.GetFromJsonAsync<JsonElement>("api/deployments");
        Assert.Equal(2, Assert.Single(list.EnumerateArray()).GetProperty("run").GetInt32());

        // The CLI against the server: the run's status, and delete refused while live.
        var cli = await Harness.Orchestra.RunAsync(_dir.Path, "status", "web", "--run", "1", "--json", "--server", server.BaseAddress.ToString());
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("\"Undeployed\"", cli.Stdout, StringComparison.Ordinal);
        var refused = await Harness.Orchestra.RunAsync(_dir.Path, "delete", "web", "--server", server.BaseAddress.ToString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("undeploy it first", refused.Stderr, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("api/deployments/web/undeploy", null)).StatusCode);
        await server.WaitForDeploymentAsync("web", v => v.GetProperty("status").GetString() == "Undeployed", Patience);
        using (var deleted = await http.DeleteAsync("api/deployments/web"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            var body = await deleted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("web", 2), (body.GetProperty("deploymentId").GetString(), body.GetProperty("runs").GetInt32()));
        }

        await AssertProblemAsync(await http.GetAsync("api/deployments/web"), HttpStatusCode.NotFound, "urn:orchestra:problem:deployment-not-found");
        await AssertProblemAsync(await http.DeleteAsync("api/deployments/web"), HttpStatusCode.NotFound, "urn:orchestra:problem:deployment-not-found");
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("api/deployments")).EnumerateArray());
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(type, problem.GetProperty("type").GetString());
        return problem;
    }
}
