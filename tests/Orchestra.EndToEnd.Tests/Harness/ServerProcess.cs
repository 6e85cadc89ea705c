using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>A running <c>orchestra serve</c> on 127.0.0.1 and a free port, with an HTTP client for it.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private ServerProcess(OrchestraProcess process, Uri baseAddress)
    {
        Process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public OrchestraProcess Process { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client that sends the token: the one given, else the one the server generated, read from its token file as the CLI does.</summary>
    public HttpClient Http { get; }

    /// <summary>The token <see cref="Http"/> sends, if any.</summary>
    public string? Token { get; private set; }

    /// <summary>
    /// Starts the server on <paramref name="port"/> (a free one by default) and waits until <c>/healthz</c> answers 200; its store is the
    /// SQLite one in <paramref name="dir"/> unless <paramref name="environment"/> configures another (e.g. <see cref="PostgresStore.Environment"/>).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        TempDirectory dir, string allowedTemplates, string? token = null, int? port = null, IReadOnlyDictionary<string, string>? environment = null,
        params string[] extraArgs)
    {
        var url = $"http://127.0.0.1:{port ?? FreePort.Next()}";
        var args = new List<string>
        {
            "serve", "--urls", url, "--store", dir.Store,
            $"--Orchestra:Server:AllowedTemplateDirectories:0={allowedTemplates}",
            "--Orchestra:Engine:LeaseTtl=00:00:05", "--Orchestra:Engine:LeaseRenewInterval=00:00:01", "--Orchestra:Leases:TakeoverScanInterval=00:00:01",
        };
        if (token is not null)
        {
            args.Add($"--Orchestra:Server:BearerToken={token}");
        }

        args.AddRange(extraArgs);
        var process = Harness.Orchestra.Start(dir.Path, environment, [.. args]);
        var server = new ServerProcess(process, new Uri(url + "/"));
        await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        var tokenFile = Harness.Orchestra.TokenFile(environment);
        server.Token = token ?? (File.Exists(tokenFile) ? (await File.ReadAllTextAsync(tokenFile)).Trim() : null);
        if (server.Token is not null)
        {
            server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        }

        return server;
    }

    /// <summary>Polls <c>GET api/deployments/ID</c> until the view satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<JsonElement> WaitForDeploymentAsync(string id, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement view = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync($"api/deployments/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                view = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (condition(view))
                {
                    return view;
                }
            }

            // Another process's state: there is no event to await here but its stream, which other tests cover.
            await Task.Delay(50);
        }

        throw new TimeoutException($"Deployment {id} never reached the expected state within {timeout}; last: {view}\n--- stderr ---\n{Process.Stderr}");
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"orchestra serve exited.\n--- stdout ---\n{Process.Stdout}\n--- stderr ---\n{Process.Stderr}");
            }

            try
            {
                using var response = await probe.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }

            // Waiting for another process to open its port: there is no event to await.
            await Task.Delay(100);
        }

        throw new TimeoutException($"orchestra serve was not healthy within {timeout}.\n--- stdout ---\n{Process.Stdout}\n--- stderr ---\n{Process.Stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
