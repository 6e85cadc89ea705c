using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// The attacks of issue 10 (items 3 and 4) against a real <c>orchestra serve</c> on loopback: a token-less request, a foreign
/// <c>Host</c> (DNS rebinding), a replayed sign-in URL, a cross-site POST with the session cookie, and Kestrel told to listen on
/// every interface by the command line, the environment or a configuration file.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerSecurityTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Templates => Path.Combine(_dir.Path, "templates");

    // A state directory of this test's own, so that the token file is the one this server created.
    private Dictionary<string, string> OwnState() => new() { ["XDG_STATE_HOME"] = Path.Combine(_dir.Path, "state") };

    [Fact]
    public async Task Serve_ByDefault_RefusesTokenlessRequests_AndKeepsItsTokenIn0600FileIn0700Directory()
    {
        var environment = OwnState();
        await using var server = await ServerProcess.StartAsync(_dir, Templates, environment: environment);
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };

        var denied = await anonymous.GetAsync("api/deployments");

        await AssertProblemAsync(denied, HttpStatusCode.Unauthorized, "urn:orchestra:problem:unauthorized");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/deployments", new { id = "x", templatePath = "/etc/passwd" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);
        var tokenFile = Harness.Orchestra.TokenFile(environment);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(tokenFile)!));
        Assert.True(server.Token is { Length: >= 32 }, $"token '{server.Token}'");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("api/deployments")).StatusCode);
    }

    [Fact]
    public async Task Cli_StatusWithServer_OnTheSameUser_FindsTheTokenByItself()
    {
        var environment = OwnState();
        var template = TestTemplates.Chain(_dir);
        await using var server = await ServerProcess.StartAsync(_dir, Templates, environment: environment);
        var created = await server.Http.PostAsJsonAsync("api/deployments", new { id = "mine", templatePath = template });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await server.WaitForDeploymentAsync("mine", v => v.GetProperty("status").GetString() == "Succeeded", Patience);

        var status = await Harness.Orchestra.RunAsync(_dir.Path, environment, Patience, "status", "mine", "--server", server.BaseAddress.ToString());
        var otherUser = await Harness.Orchestra.RunAsync(
            _dir.Path, new Dictionary<string, string> { ["XDG_STATE_HOME"] = Path.Combine(_dir.Path, "elsewhere") }, Patience,
            "status", "mine", "--server", server.BaseAddress.ToString());

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Succeeded", status.Stdout, StringComparison.Ordinal);
        Assert.True(otherUser.ExitCode == 1, otherUser.ToString());
        Assert.Contains("401", otherUser.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WithServer_RefusesATokenFileOthersCanRead()
    {
        var environment = OwnState();
        var tokenFile = Harness.Orchestra.TokenFile(environment);
        Directory.CreateDirectory(Path.GetDirectoryName(tokenFile)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(tokenFile, "a-token-everybody-can-read");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, environment, Patience, "status", "--server", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(tokenFile, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("0600", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WithANonLoopbackServer_NeverSendsThisUsersToken()
    {
        var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null)
        {
            return; // A machine with loopback only has no other address to leak to.
        }

        var environment = OwnState();
        var tokenFile = Harness.Orchestra.TokenFile(environment);
        Directory.CreateDirectory(Path.GetDirectoryName(tokenFile)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(tokenFile, "this-users-local-token");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var listener = new System.Net.Sockets.TcpListener(address, 0);
        listener.Start();
        var url = $"http://{address}:{((IPEndPoint)listener.LocalEndpoint).Port}";

        await using var cli = Harness.Orchestra.Start(_dir.Path, environment, "status", "--server", url);
        using var connection = await listener.AcceptTcpClientAsync().WaitAsync(Patience);
        using var reader = new StreamReader(connection.GetStream());
        var request = new List<string>();
        while (await reader.ReadLineAsync().WaitAsync(Patience) is { Length: > 0 } line)
        {
            request.Add(line);
        }

        Assert.StartsWith("GET /api/deployments", request[0], StringComparison.Ordinal);
        Assert.DoesNotContain(request, l => l.StartsWith("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:5080")]
    [InlineData("127.0.0.1.attacker.example")]
    public async Task Request_WithAForeignHost_IsRefusedEvenWithTheToken(string host)
    {
        await using var server = await ServerProcess.StartAsync(_dir, Templates);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "api/deployments") { Headers = { Host = host } };
        using var ours = new HttpRequestMessage(HttpMethod.Get, "api/deployments") { Headers = { Host = "localhost" } };
        using var health = new HttpRequestMessage(HttpMethod.Get, "healthz") { Headers = { Host = host } };

        var refused = await server.Http.SendAsync(rebound);

        var problem = await AssertProblemAsync(refused, HttpStatusCode.MisdirectedRequest, "urn:orchestra:problem:host-not-allowed");
        Assert.Contains(host, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await server.Http.SendAsync(health)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(ours)).StatusCode);
    }

    [Fact]
    public async Task SignIn_PrintedUrl_IsSingleUse_AndItsCookieIsStrictHttpOnly_AndUnsafeRequestsNeedTheOrigin()
    {
        var template = TestTemplates.Chain(_dir);
        await using var server = await ServerProcess.StartAsync(_dir, Templates);
        await server.Process.WaitForOutputAsync("/signin?code=", Patience);
        var line = server.Process.Stdout.Split('\n').Concat(server.Process.Stderr.Split('\n')).First(l => l.Contains("/signin?code=", StringComparison.Ordinal));
        var url = new Uri(line[line.IndexOf("http", StringComparison.Ordinal)..].Split(' ')[0].Trim());
        Assert.Equal(server.BaseAddress.Authority, url.Authority);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };

        var signIn = await browser.GetAsync(url.PathAndQuery);
        var replay = await browser.GetAsync(url.PathAndQuery);

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "urn:orchestra:problem:signin-code-invalid");
        var session = cookie.Split(';')[0];

        using var read = new HttpRequestMessage(HttpMethod.Get, "api/deployments") { Headers = { { "Cookie", session } } };
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(read)).StatusCode);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "api/deployments")
        {
            Headers = { { "Cookie", session }, { "Origin", "http://attacker.example" } },
            Content = JsonContent.Create(new { id = "csrf", templatePath = template }),
        };
        await AssertProblemAsync(await browser.SendAsync(crossSite), HttpStatusCode.Forbidden, "urn:orchestra:problem:cross-origin-refused");
        using var noOrigin = new HttpRequestMessage(HttpMethod.Post, "api/deployments")
        {
            Headers = { { "Cookie", session } },
            Content = JsonContent.Create(new { id = "csrf", templatePath = template }),
        };
        await AssertProblemAsync(await browser.SendAsync(noOrigin), HttpStatusCode.Forbidden, "urn:orchestra:problem:cross-origin-refused");
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "api/deployments")
        {
            Headers = { { "Cookie", session }, { "Origin", server.BaseAddress.GetLeftPart(UriPartial.Authority) } },
            Content = JsonContent.Create(new { id = "console", templatePath = template }),
        };
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(sameOrigin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("api/deployments/csrf")).StatusCode);
    }

    [Fact]
    public async Task Serve_WithAnonymousLoopbackAllowed_ServesWithoutToken_AndWarns()
    {
        var environment = OwnState();
        await using var server = await ServerProcess.StartAsync(_dir, Templates, environment: environment, extraArgs: "--Orchestra:Server:AllowAnonymousLoopback=true");
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("api/deployments")).StatusCode);
        Assert.False(File.Exists(Harness.Orchestra.TokenFile(environment)));
        Assert.Contains("anonymous", server.Process.Stdout + server.Process.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    public enum KestrelSource
    {
        CommandLine,
        Environment,
        ConfigFile,
    }

    [Theory]
    [InlineData(KestrelSource.CommandLine)]
    [InlineData(KestrelSource.Environment)]
    [InlineData(KestrelSource.ConfigFile)]
    public async Task Serve_KestrelToldToListenOnEveryInterface_RefusesToStartWithExit2(KestrelSource source)
    {
        var port = FreePort.Next();
        var everywhere = $"http://0.0.0.0:{port}";
        var environment = new Dictionary<string, string>();
        var args = new List<string> { "serve", "--store", _dir.Store };
        switch (source)
        {
            case KestrelSource.CommandLine:
                args.Add($"--Kestrel:Endpoints:Http:Url={everywhere}");
                break;
            case KestrelSource.Environment:
                environment["Kestrel__Endpoints__Http__Url"] = everywhere;
                break;
            case KestrelSource.ConfigFile:
                args.AddRange(["--config", _dir.Write("kestrel.json", $$"""{ "Kestrel": { "Endpoints": { "Http": { "Url": "{{everywhere}}" } } } }""")]);
                break;
        }

        await using var serve = Harness.Orchestra.Start(_dir.Path, environment, [.. args]);
        var result = await serve.WaitForExitAsync(Patience);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"0.0.0.0:{port}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("without authentication", result.Stderr, StringComparison.Ordinal);
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
