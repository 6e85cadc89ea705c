using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.Server.Tests.Api;
using Orchestra.Testing;

namespace Orchestra.Server.Tests.Templates;

/// <summary>
/// The server fetches a template's imports by URL only from <c>Orchestra:Server:AllowedImportHosts</c>: by default from no host, with a
/// located TOS120 and no request sent; from a configured host, once, into the import cache beside its store.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RemoteImportPolicyTests : IAsyncLifetime
{
    private LoopbackFileServer _files = null!;

    public async Task InitializeAsync()
    {
        _files = await LoopbackFileServer.StartAsync();
        _files.Serve("types.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              example.nodes.App: { derived_from: tosca.nodes.Root }
            """);
    }

    public async Task DisposeAsync() => await _files.DisposeAsync();

    private string Template => $"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        imports:
          - "{_files.Url("types.yaml")}"
        topology_template:
          node_templates:
            app: {"{"} type: example.nodes.App {"}"}
        """;

    [Fact]
    public async Task Plan_ImportFromAHost_ByDefault_Is422WithALocatedTOS120_AndSendsNothing()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("remote.yaml", Template);

        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = path });

        var problem = await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var error = problem.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("code").GetString() == "TOS120");
        Assert.Equal((3, 5), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
        Assert.Contains("Orchestra:Server:AllowedImportHosts is empty", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _files.TotalRequests);
    }

    [Fact]
    public async Task Plan_ImportFromAnAllowedHost_Is200_AndFetchedOnceIntoTheStoresCache()
    {
        await using var host = await ApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Orchestra:Server:AllowedImportHosts:0"] = _files.Authority });
        var path = host.WriteTemplate("remote.yaml", Template);

        var first = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = path });
        var second = await host.Client.PostAsJsonAsync("/api/templates/plan", new { templatePath = path });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("app", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plan").GetProperty("nodes")[0].GetProperty("name").GetString());
        Assert.Equal(1, _files.Requests("types.yaml"));
        Assert.Single(Directory.GetFiles(Path.Combine(host.Root, "store", "imports"), "*.json"));
    }
}
