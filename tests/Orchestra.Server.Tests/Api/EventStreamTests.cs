using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestra.Server.Tests.Api;

/// <summary>
/// <c>GET /api/deployments/{id}/events</c>: replay from the journal after <c>Last-Event-ID</c>, live events with no gap and no
/// duplicate, the end once the deployment settles, and the wait for a deployment that is not submitted yet.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EventStreamTests
{
    // Network is created, app's create fails at once, the network's create is reverted: over before any client could subscribe.
    internal const string FastRollback = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            network:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  operations:
                    create: orchestra:noop
                    delete: orchestra:noop
            app:
              type: tosca.nodes.Root
              requirements:
                - dependency: network
              interfaces:
                Standard:
                  operations:
                    create:
                      implementation: orchestra:fail
                      inputs: { message: app cannot start }
          policies:
            - undo:
                type: orchestra.policies.OnFailure
                properties: { action: rollback }
        """;

    private const string Slow = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            first:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  operations:
                    create:
                      implementation: orchestra:sleep
                      inputs: { seconds: 0.3 }
            second:
              type: tosca.nodes.Root
              requirements:
                - dependency: first
              interfaces:
                Standard:
                  operations:
                    create:
                      implementation: orchestra:sleep
                      inputs: { seconds: 0.3 }
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Stream_FromZeroAfterAFastRollback_ReplaysEveryJournaledEventThenEnds()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("fast.yaml", FastRollback);
        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path })).StatusCode);

        var events = await ReadToEndAsync(host.Client, "/api/deployments/fast/events?after=0");
        var history = await host.Client.GetFromJsonAsync<JsonElement>("/api/deployments/fast/history");

        Assert.Equal(history.EnumerateArray().Select(h => h.GetProperty("sequenceNr").GetInt64()), events.Select(e => e.Id));
        Assert.Equal("submitted", events[0].Event);
        Assert.Contains(events, e => e.Event == "taskFailed" && e.Data.GetProperty("node").GetString() == "app"
            && e.Data.GetProperty("message").GetString()!.Contains("app cannot start", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Event == "taskSucceeded" && e.Data.GetProperty("phase").GetString() == "Revert"
            && e.Data.GetProperty("node").GetString() == "network");
        Assert.Equal(("statusChanged", "RolledBack"), (events[^1].Event, events[^1].Data.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Stream_WithLastEventIdHeader_ReplaysOnlyTheEventsAfterIt()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("fast.yaml", FastRollback);
        await host.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path });
        var all = await ReadToEndAsync(host.Client, "/api/deployments/fast/events?after=0");

        var later = await ReadToEndAsync(host.Client, "/api/deployments/fast/events", lastEventId: "3");
        var oldForm = await ReadToEndAsync(host.Client, "/api/deployments/fast/events", lastEventId: "fast:3");

        Assert.Equal(all.Where(e => e.Id > 3).Select(e => (e.Event, e.Id)), later.Select(e => (e.Event, e.Id)));
        Assert.Equal(later.Select(e => e.Id), oldForm.Select(e => e.Id));
    }

    [Fact]
    public async Task Stream_WithoutStartingPoint_SendsASnapshotThenEveryLaterEventOnceInOrder_AndEndsWhenSettled()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("slow.yaml", Slow);
        await host.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path });

        var events = await ReadToEndAsync(host.Client, "/api/deployments/slow/events");
        var history = await host.Client.GetFromJsonAsync<JsonElement>("/api/deployments/slow/history");

        Assert.Equal("snapshot", events[0].Event);
        var from = events[0].Id;
        Assert.Equal(history.EnumerateArray().Select(h => h.GetProperty("sequenceNr").GetInt64()).Where(n => n > from), events.Skip(1).Select(e => e.Id));
        Assert.Equal("Succeeded", events[^1].Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stream_OfADeploymentNotSubmittedYet_WaitsForIt_ThenStreamsItFromItsFirstEvent()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("fast.yaml", FastRollback);
        using var response = await OpenAsync(host.Client, "/api/deployments/fast/events", lastEventId: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsJsonAsync("/api/deployments", new { templatePath = path })).StatusCode);
        var events = await ReadToEndAsync(response);

        Assert.Equal(("submitted", 1L), (events[0].Event, events[0].Id));
        Assert.Equal("RolledBack", events[^1].Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stream_OfADeploymentNeverSubmitted_EndsWithANotFoundProblemOnceTheWaitRunsOut()
    {
        await using var host = await ApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Orchestra:Server:EventStreamDeploymentWait"] = "00:00:00.2" });

        var events = await ReadToEndAsync(host.Client, "/api/deployments/nobody/events?after=0");

        var problem = Assert.Single(events);
        Assert.Equal("problem", problem.Event);
        Assert.Equal("urn:orchestra:problem:deployment-not-found", problem.Data.GetProperty("type").GetString());
        Assert.Equal(404, problem.Data.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Stream_WithMalformedLastEventId_Is400InvalidRequest()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await OpenAsync(host.Client, "/api/deployments/x/events", lastEventId: "yesterday");

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.BadRequest, "urn:orchestra:problem:invalid-request");
        Assert.Contains("Last-Event-ID", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> OpenAsync(HttpClient client, string url, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<List<StreamEvent>> ReadToEndAsync(HttpClient client, string url, string? lastEventId = null)
    {
        using var response = await OpenAsync(client, url, lastEventId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadToEndAsync(response);
    }

    // Reads until the server completes the response: a stream that never ends fails the test when Patience runs out.
    private static async Task<List<StreamEvent>> ReadToEndAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var timeout = new CancellationTokenSource(Patience);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<StreamEvent>();
        string? name = null, id = null, data = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null && data is not null)
                {
                    events.Add(new(name, id is null ? -1 : long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), JsonDocument.Parse(data).RootElement.Clone()));
                }

                (name, id, data) = (null, null, null);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return events;
    }

    private sealed record StreamEvent(string Event, long Id, JsonElement Data);
}
