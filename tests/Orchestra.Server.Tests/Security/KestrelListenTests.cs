using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Orchestra.Server.Hosting;

namespace Orchestra.Server.Tests.Security;

/// <summary>
/// The listen policy judged on what Kestrel really binds, with the real host and real sockets: a <c>Kestrel</c> section can move the
/// server off loopback whatever <c>Orchestra:Server:Urls</c> says.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KestrelListenTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orchestra-kestrel-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://[::]:{0}")]
    [InlineData("http://*:{0}")]
    public async Task Start_KestrelSectionOnEveryInterface_WithoutConfiguredToken_IsRefusedNamingTheAddress(string pattern)
    {
        var port = FreePort();
        await using var app = Build(new() { ["Kestrel:Endpoints:Http:Url"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, port) });

        var refusal = await Assert.ThrowsAsync<OrchestraStartupException>(() => app.StartAsync());

        Assert.Contains($":{port}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("without authentication", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KestrelSectionOnEveryInterface_WithConfiguredToken_Serves()
    {
        var port = FreePort();
        await using var app = Build(new()
        {
            ["Kestrel:Endpoints:Http:Url"] = $"http://0.0.0.0:{port}",
            ["Orchestra:Server:BearerToken"] = "a-configured-token",
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/deployments") { Headers = { { "Authorization", "Bearer a-configured-token" } } };

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Request_OverRealHttp_WithAForeignHost_Is421()
    {
        var port = FreePort();
        await using var app = Build(new() { ["Orchestra:Server:Urls"] = $"http://127.0.0.1:{port}", ["Orchestra:Server:AllowAnonymousLoopback"] = "true" });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "api/deployments") { Headers = { Host = "attacker.example" } };

        var refused = await http.SendAsync(rebound);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/deployments")).StatusCode);
        await app.StopAsync();
    }

    private WebApplication Build(Dictionary<string, string?> settings)
    {
        settings["Orchestra:Store:Directory"] = Path.Combine(_root, "store");
        settings["Orchestra:Server:TokenFile"] = Path.Combine(_root, "state", "server", "token");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return OrchestraWebApplication.Build(OrchestraWebApplication.CreateBuilder(configuration));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
