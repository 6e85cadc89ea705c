using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Orchestra.Server.Hosting;

namespace Orchestra.Server.Tests.Api;

/// <summary>The real server application on an in-memory test server, with a temporary SQLite store and template directory.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsRoot;

    private ApiHost(WebApplication app, string root, bool ownsRoot)
    {
        _app = app;
        _ownsRoot = ownsRoot;
        Root = root;
        Client = app.GetTestClient();
        // The default is a token generated at first start: use it the way the CLI does, from the token file.
        if (File.Exists(TokenFile))
        {
            Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(TokenFile).Trim());
        }
    }

    public string Root { get; }

    public string Templates => Path.Combine(Root, "templates");

    /// <summary>A client that sends the generated token when the server made one (no explicit token, no anonymous loopback).</summary>
    public HttpClient Client { get; }

    /// <summary>Where the server keeps its generated token (the test's own state directory, not the user's).</summary>
    public string TokenFile => TokenFileIn(Root);

    public IServiceProvider Services => _app.Services;

    /// <summary>A client that sends nothing but what the test adds.</summary>
    public HttpClient CreateAnonymousClient() => _app.GetTestClient();

    internal static string TokenFileIn(string root) => Path.Combine(root, "state", "server", "token");

    /// <param name="token">The bearer token, if any.</param>
    /// <param name="maxBody">The request body limit, if not the default.</param>
    /// <param name="root">A directory to run in (kept on dispose, so a second server can start on the same store); a new temporary one by default.</param>
    /// <param name="settings">More configuration keys (e.g. <c>Orchestra:Compiler:MaxPlanBytes</c>, <c>Orchestra:Server:AllowAnonymousLoopback</c>), applied last.</param>
    public static async Task<ApiHost> StartAsync(string? token = null, long? maxBody = null, string? root = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var ownsRoot = root is null;
        root ??= Directory.CreateTempSubdirectory("orchestra-api-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "templates"));
        var all = new Dictionary<string, string?>
        {
            ["Orchestra:Store:Directory"] = Path.Combine(root, "store"),
            ["Orchestra:Server:AllowedTemplateDirectories:0"] = Path.Combine(root, "templates"),
            ["Orchestra:Server:BearerToken"] = token,
            ["Orchestra:Server:TokenFile"] = TokenFileIn(root),
        };
        if (maxBody is { } max)
        {
            all["Orchestra:Server:MaxRequestBodyBytes"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var builder = OrchestraWebApplication.CreateBuilder(configuration);
        builder.WebHost.UseTestServer();
        var app = OrchestraWebApplication.Build(builder);
        await app.StartAsync();
        return new ApiHost(app, root, ownsRoot);
    }

    public string WriteTemplate(string name, string yaml)
    {
        var path = Path.Combine(Templates, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsRoot)
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
