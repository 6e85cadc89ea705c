using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary><c>orchestra serve</c> through real HTTP on 127.0.0.1: the API, auth, problem details, SSE, recovery after kill -9.</summary>
[Trait("Category", "Integration")]
public sealed class ServerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Templates => Path.Combine(_dir.Path, "templates");

    [Fact]
    public async Task Api_SubmitFollowAndAct_WithProblemDetailsForBadInput()
    {
        var template = TestTemplates.Chain(_dir);
        TestTemplates.Invalid(_dir);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);
        var http = server.Http;

        var created = await http.PostAsJsonAsync("api/deployments", new { id = "web1", templatePath = template });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var again = await http.PostAsJsonAsync("api/deployments", new { id = "web1", templatePath = template });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var view = await WaitForStatusAsync(http, "web1", "Succeeded");
        Assert.Equal(3, view.GetProperty("nodes").GetArrayLength());

        var list = await http.GetFromJsonAsync<JsonElement>("api/deployments?status=Succeeded");
        Assert.Single(list.EnumerateArray());
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("api/deployments?status=Running")).EnumerateArray());
        var plan = await http.GetFromJsonAsync<JsonElement>("api/deployments/web1/plan");
        Assert.Equal(3, plan.GetProperty("nodes").GetArrayLength());
        var history = await http.GetFromJsonAsync<JsonElement>("api/deployments/web1/history");
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("kind").GetString() == "deployment-succeeded");
        var outputs = await http.GetFromJsonAsync<JsonElement>("api/deployments/web1/outputs");
        Assert.Equal("hello from c", outputs.GetProperty("greeting").GetString());

        var undeploy = await http.PostAsync("api/deployments/web1/undeploy", null);
        Assert.Equal(HttpStatusCode.OK, undeploy.StatusCode);
        await WaitForStatusAsync(http, "web1", "Undeployed");
        var pause = await http.PostAsync("api/deployments/web1/pause", null);
        await AssertProblemAsync(pause, HttpStatusCode.Conflict, "urn:orchestra:problem:invalid-state");

        await AssertProblemAsync(await http.GetAsync("api/deployments/nope"), HttpStatusCode.NotFound, "urn:orchestra:problem:deployment-not-found");

        var bad = await http.PostAsJsonAsync("api/deployments", new { id = "bad", templatePath = Path.Combine(Templates, "broken.yaml") });
        var problem = await AssertProblemAsync(bad, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var error = problem.GetProperty("errors").EnumerateArray().First();
        Assert.True(error.GetProperty("line").GetInt32() > 0);
        Assert.EndsWith("broken.yaml", error.GetProperty("file").GetString(), StringComparison.Ordinal);

        var outside = await http.PostAsJsonAsync("api/deployments", new { id = "x", templatePath = "/etc/passwd" });
        var refused = await AssertProblemAsync(outside, HttpStatusCode.Forbidden, "urn:orchestra:problem:template-not-allowed");
        Assert.Contains(Templates, refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var malformed = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        await AssertProblemAsync(await http.PostAsync("api/deployments", malformed), HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");

        var openapi = await http.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/deployments", out _));
    }

    [Fact]
    public async Task Token_RequestsWithoutItGet401_HealthzStaysOpen()
    {
        await using var server = await ServerProcess.StartAsync(_dir, Templates, token: "s3cret");
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };

        var denied = await anonymous.GetAsync("api/deployments");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "api/deployments") { Headers = { { "Authorization", "Bearer nope" } } };

        await AssertProblemAsync(denied, HttpStatusCode.Unauthorized, "urn:orchestra:problem:unauthorized");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("api/deployments")).StatusCode);
    }

    [Fact]
    public async Task Serve_OnANonLoopbackAddressWithoutToken_RefusesToStart()
    {
        var result = await Harness.Orchestra.RunAsync(_dir.Path, "serve", "--urls", "http://0.0.0.0:0", "--store", _dir.Store);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("bearer token", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_StreamNotificationsOfADeployment()
    {
        var template = TestTemplates.Chain(_dir, seconds: 0.3);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);
        var http = server.Http;
        var created = await http.PostAsJsonAsync("api/deployments", new { id = "sse", templatePath = template });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/events?deployment=sse");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(Patience);
        var events = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                events.Add(line[7..]);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && events[^1] == "statusChanged" && line.Contains("\"Succeeded\"", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.Equal("snapshot", events[0]);
        Assert.Contains("taskStarted", events);
        Assert.Contains("taskSucceeded", events);
    }

    [Fact]
    public async Task Server_KilledWithSigkill_RecoversItsDeploymentOnRestart()
    {
        var template = TestTemplates.Chain(_dir, seconds: 1.5);
        var port = FreePort.Next();
        await using (var first = await ServerProcess.StartAsync(_dir, Templates, port: port))
        {
            var created = await first.Http.PostAsJsonAsync("api/deployments", new { id = "crash", templatePath = template });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            await WaitForAsync(first.Http, "crash", v => v.GetProperty("nodes")[1].GetProperty("status").GetString() == "Deploying");
            first.Process.KillHard();
            await first.Process.WaitForExitAsync(Patience);
        }

        await using var second = await ServerProcess.StartAsync(_dir, Templates, port: port);
        await WaitForStatusAsync(second.Http, "crash", "Succeeded");
        var history = await second.Http.GetFromJsonAsync<JsonElement>("api/deployments/crash/history");
        var succeeded = history.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "task-succeeded").Select(e => e.GetProperty("node").GetString()!).ToArray();
        Assert.Equal(["a", "b", "c"], succeeded);
    }

    [Fact]
    public async Task Cli_WithServerOption_DeploysThroughTheServer()
    {
        var template = TestTemplates.Chain(_dir);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);

        var deploy = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", template, "--name", "remote", "--server", server.BaseAddress.ToString());
        var list = await Harness.Orchestra.RunAsync(_dir.Path, "list", "--json", "--server", server.BaseAddress.ToString());
        var outputs = await Harness.Orchestra.RunAsync(_dir.Path, "outputs", "remote", "--server", server.BaseAddress.ToString());

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("remote", list.Stdout, StringComparison.Ordinal);
        Assert.Equal("greeting=hello from c", outputs.Stdout.Trim());
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static Task<JsonElement> WaitForStatusAsync(HttpClient http, string id, string status) =>
        WaitForAsync(http, id, v => v.GetProperty("status").GetString() == status);

    // Polls the API: an external process has no event to await but its own stream, which other tests cover.
    private static async Task<JsonElement> WaitForAsync(HttpClient http, string id, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        JsonElement view = default;
        while (DateTime.UtcNow < deadline)
        {
            view = await http.GetFromJsonAsync<JsonElement>($"api/deployments/{id}");
            if (condition(view))
            {
                return view;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Deployment {id} never reached the expected state; last: {view}");
    }
}
