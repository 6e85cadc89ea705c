using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.Application.Api;
using Orchestra.Application.Logs;
using Orchestra.Application.Nodes;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Clients;

/// <summary>Acts on a running <c>orchestra serve</c> through its HTTP API.</summary>
/// <remarks>
/// Following a deployment reads its event stream from where this client last knew it (0 for a deployment it just created, the
/// sequence number before an action it sent), so that nothing that happened in between is missed, and connects again with
/// <c>Last-Event-ID</c> when the connection drops.
/// </remarks>
internal sealed class HttpOrchestraClient : IOrchestraClient
{
    private readonly HttpClient _http;
    private readonly FollowOptions _follow;
    private readonly TimeProvider _time;

    // Per deployment: the journal sequence number after which the next FollowAsync reads its events.
    private readonly ConcurrentDictionary<string, long> _followFrom = new(StringComparer.Ordinal);

    public HttpOrchestraClient(Uri server, string? token, FollowOptions? follow = null, TimeProvider? time = null)
    {
        _follow = follow ?? new FollowOptions();
        _time = time ?? TimeProvider.System;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public bool DrivesLocally => false;

    public string NotFound(string name) => $"There is no deployment '{name}' on the server {_http.BaseAddress}.";

    public async Task<Submitted> SubmitAsync(string name, string templatePath, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken ct)
    {
        var body = new SubmitDeploymentRequest
        {
            Id = name,
            TemplatePath = Path.GetFullPath(templatePath),
            Inputs = new Dictionary<string, string>(inputs, StringComparer.Ordinal),
            OnFailure = onFailure?.ToString().ToLowerInvariant(),
        };
        using var response = await SendAsync(HttpMethod.Post, "api/deployments", body, ct);
        var view = await ReadAsync<DeploymentView>(response, ct);
        var created = response.StatusCode == HttpStatusCode.Created;
        // A new deployment is followed from its first event: a fast failure is over before the stream is opened.
        _followFrom[name] = created ? 0 : view.SequenceNr;
        return new Submitted(view, created, []);
    }

    /// <summary>Has the server compile a template file (its directories policy, its compiler), deploying nothing.</summary>
    /// <returns>The plan (or <see langword="null"/> when the template has errors) and every diagnostic.</returns>
    public async Task<(DeploymentPlan? Plan, IReadOnlyList<ApiDiagnostic> Diagnostics)> CompileAsync(
        string templatePath, IReadOnlyDictionary<string, string> inputs, CancellationToken ct)
    {
        var body = new SubmitDeploymentRequest
        {
            TemplatePath = Path.GetFullPath(templatePath),
            Inputs = new Dictionary<string, string>(inputs, StringComparer.Ordinal),
        };
        try
        {
            using var response = await SendAsync(HttpMethod.Post, "api/templates/plan", body, ct);
            var result = await ReadAsync<TemplatePlanResponse>(response, ct);
            return (result.Plan, result.Diagnostics);
        }
        catch (TemplateErrorsException e)
        {
            return (null, e.Diagnostics);
        }
    }

    public Task<DeploymentView?> GetAsync(string name, CancellationToken ct) => GetOrNullAsync<DeploymentView>($"api/deployments/{Escape(name)}", ct);

    public async Task<IReadOnlyList<DeploymentSummary>> ListAsync(CancellationToken ct) =>
        await GetOrNullAsync<DeploymentSummary[]>("api/deployments", ct) ?? [];

    public async Task<DeploymentSurvey> SurveyAsync(CancellationToken ct) => new(await ListAsync(ct), []);

    public async Task<IReadOnlyList<HistoryItem>?> GetHistoryAsync(string name, CancellationToken ct) =>
        await GetOrNullAsync<HistoryItem[]>($"api/deployments/{Escape(name)}/history", ct);

    public Task<DeploymentPlan?> GetPlanAsync(string name, CancellationToken ct) => GetOrNullAsync<DeploymentPlan>($"api/deployments/{Escape(name)}/plan", ct);

    public Task<DeploymentView?> GetRunAsync(string name, int run, CancellationToken ct) =>
        GetOrNullAsync<DeploymentView>(FormattableString.Invariant($"api/deployments/{Escape(name)}?run={run}"), ct);

    public async Task<IReadOnlyList<HistoryItem>?> GetRunHistoryAsync(string name, int run, CancellationToken ct) =>
        await GetOrNullAsync<HistoryItem[]>(FormattableString.Invariant($"api/deployments/{Escape(name)}/history?run={run}"), ct);

    public async Task<int> DeleteAsync(string name, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"api/deployments/{Escape(name)}", null, ct);
        return (await ReadAsync<DeletedDeployment>(response, ct)).Runs;
    }

    public async Task<DeploymentLogs?> GetLogsAsync(string name, LogSelection selection, CancellationToken ct)
    {
        var query = new List<string>();
        if (selection.Node is { } node)
        {
            query.Add("node=" + Escape(node));
        }

        if (selection.Operation is { } operation)
        {
            query.Add("operation=" + Escape(operation));
        }

        if (selection.Attempt is { } attempt)
        {
            query.Add("attempt=" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // A 404 here names the node, operation or attempt that does not exist (the deployment itself was found by the caller).
        using var response = await SendAsync(HttpMethod.Get, $"api/deployments/{Escape(name)}/logs" + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query)), null, ct);
        return await ReadAsync<DeploymentLogs>(response, ct);
    }

    public async Task<DeploymentView> ActAsync(string name, DeploymentAction action, string? reason, CancellationToken ct)
    {
        // Where the deployment stood before the action: following it then shows the action's own events.
        if (!_followFrom.ContainsKey(name) && await GetAsync(name, ct) is { } before)
        {
            _followFrom.TryAdd(name, before.SequenceNr);
        }

        using var response = await SendAsync(HttpMethod.Post, $"api/deployments/{Escape(name)}/{action.ToString().ToLowerInvariant()}",
            reason is null ? null : new ActionRequest { Reason = reason }, ct, allowNotFound: true);
        return response.StatusCode == HttpStatusCode.NotFound ? throw new CliException(NotFound(name)) : await ReadAsync<DeploymentView>(response, ct);
    }

    public async Task<DeploymentView> TakeOverAsync(string name, Action<string> progress, CancellationToken ct)
    {
        var view = await GetAsync(name, ct) ?? throw new CliException(NotFound(name));
        _followFrom[name] = view.SequenceNr;
        return view;
    }

    public async Task<DeploymentView> FollowAsync(string name, Action<DeploymentNotification> onNotification, CancellationToken ct)
    {
        long? after = _followFrom.TryRemove(name, out var from) ? from : null;
        var attempts = 0;
        while (true)
        {
            try
            {
                after = await ReadStreamAsync(name, after, onNotification, () => attempts = 0, ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                if (++attempts > _follow.MaxReconnectAttempts)
                {
                    throw new CliException($"Lost the event stream of '{name}' ({e.Message}); the deployment goes on on the server (orchestra status {name} --server {_http.BaseAddress}).");
                }

                await Task.Delay(_follow.ReconnectDelay, _time, ct);
                continue;
            }

            // The server ends a deployment's stream once it is settled; it may have moved on since (a retry, an undeploy).
            var view = await GetAsync(name, ct) ?? throw new CliException($"Deployment '{name}' disappeared from the server.");
            if (view.Status.IsSettled() && view.SequenceNr <= (after ?? 0))
            {
                return view;
            }

            // Ended early (a proxy's timeout, a server restart): carry on from the last event received.
            if (++attempts > _follow.MaxReconnectAttempts)
            {
                throw new CliException($"The server keeps closing the event stream of '{name}' before it settles; it goes on on the server.");
            }
        }
    }

    /// <summary>Reads one connection of a deployment's event stream to its end, reporting every event after <paramref name="after"/>.</summary>
    /// <returns>The sequence number of the last event received.</returns>
    private async Task<long?> ReadStreamAsync(string name, long? after, Action<DeploymentNotification> onNotification, Action connected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/deployments/{Escape(name)}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (after is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        connected();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var e in ServerSentEventReader.ReadAsync(stream, ct))
        {
            switch (e.Event)
            {
                case "problem":
                    var problem = JsonSerializer.Deserialize<ApiProblem>(e.Data, CliJson.Options);
                    throw new CliException(problem?.Detail ?? $"The server ended the event stream of '{name}' with a problem: {e.Data}");
                case "snapshot":
                    after = JsonSerializer.Deserialize<DeploymentView>(e.Data, CliJson.Options)!.SequenceNr;
                    break;
                default:
                    if (JsonSerializer.Deserialize<DeploymentNotification>(e.Data, CliJson.Options) is not { } notification)
                    {
                        break;
                    }

                    // A line a running script printed has no journal position: shown as it comes, it never moves the reconnect point.
                    if (notification.Kind == NotificationKind.TaskOutput)
                    {
                        onNotification(notification);
                    }
                    else if (notification.SequenceNr > (after ?? 0))
                    {
                        onNotification(notification);
                        after = notification.SequenceNr;
                    }

                    break;
            }
        }

        return after;
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Escape(string name) => Uri.EscapeDataString(name);

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken ct)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, ct, allowNotFound: true);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct, bool allowNotFound = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: CliJson.Options);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Cannot reach the server at {_http.BaseAddress}: {e.Message}");
        }

        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return response;
        }

        await EnsureSuccessAsync(response, ct);
        return response;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ApiProblem? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ApiProblem>(CliJson.Options, ct);
        }
        catch (JsonException)
        {
        }

        response.Dispose();
        if (problem?.Type == ProblemTypes.InvalidTemplate && problem.Errors is { } errors)
        {
            throw new TemplateErrorsException(errors);
        }

        var status = (int)response.StatusCode;
        var text = problem is null
            ? $"The server answered {status} {response.ReasonPhrase}."
            : $"{problem.Title ?? "Error"} ({status}): {problem.Detail}";
        throw new CliException(text, status is 400 or 403 or 422 ? ExitCodes.InvalidInput : ExitCodes.Failed);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct) =>
        await response.Content.ReadFromJsonAsync<T>(CliJson.Options, ct)
        ?? throw new CliException("The server answered with an empty body.");

    private sealed record ApiProblem(string? Type, string? Title, string? Detail, int? Status, ApiDiagnostic[]? Errors);
}
