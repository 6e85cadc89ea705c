using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orchestra.Testing;

/// <summary>
/// A real HTTP server (Kestrel) on 127.0.0.1 and a port of its own choosing, serving files a test puts in it: what templates import by URL.
/// Every request is counted, so a test can tell whether something was fetched.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private LoopbackFileServer()
    {
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Authority => BaseUrl.Authority;

    /// <summary>Starts a server with nothing in it (every path answers 404 until served).</summary>
    public static async Task<LoopbackFileServer> StartAsync()
    {
        var server = new LoopbackFileServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context =>
        {
            var path = context.Request.Path.Value ?? "/";
            server._requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (server._routes.TryGetValue(path, out var handler))
            {
                return handler(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>The URL of <paramref name="path"/> on this server.</summary>
    public string Url(string path) => new Uri(BaseUrl, path.TrimStart('/')).AbsoluteUri;

    /// <summary>Serves <paramref name="content"/> (UTF-8) at <paramref name="path"/>.</summary>
    public void Serve(string path, string content) =>
        _routes["/" + path.TrimStart('/')] = c => c.Response.WriteAsync(content.ReplaceLineEndings("\n"));

    /// <summary>Answers <paramref name="path"/> with a 302 to <paramref name="location"/>.</summary>
    public void Redirect(string path, string location) =>
        _routes["/" + path.TrimStart('/')] = c =>
        {
            c.Response.StatusCode = StatusCodes.Status302Found;
            c.Response.Headers.Location = location;
            return Task.CompletedTask;
        };

    /// <summary>Answers <paramref name="path"/> with headers and then nothing, until the client goes away.</summary>
    public void Stall(string path) =>
        _routes["/" + path.TrimStart('/')] = async c =>
        {
            await c.Response.StartAsync(c.RequestAborted);
            await c.Response.WriteAsync("tosca_definitions_version: tosca_simple_yaml_1_3\n", c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        };

    /// <summary>Stops serving <paramref name="path"/> (404 from now on).</summary>
    public void Remove(string path) => _routes.TryRemove("/" + path.TrimStart('/'), out _);

    /// <summary>How many requests <paramref name="path"/> has had.</summary>
    public int Requests(string path) => _requests.GetValueOrDefault("/" + path.TrimStart('/'));

    /// <summary>How many requests the server has had, for any path.</summary>
    public int TotalRequests => _requests.Values.Sum();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
