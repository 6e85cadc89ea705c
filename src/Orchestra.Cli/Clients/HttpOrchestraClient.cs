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
internal sealed class HttpOrchestraClient : IOrchestraClient
{
    private readonly HttpClient _http;

    public HttpOrchestraClient(Uri server, string? token)
    {
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
        return new Submitted(view, response.StatusCode == HttpStatusCode.Created, []);
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
        using var response = await SendAsync(HttpMethod.Post, $"api/deployments/{Escape(name)}/{action.ToString().ToLowerInvariant()}",
            reason is null ? null : new ActionRequest { Reason = reason }, ct, allowNotFound: true);
        return response.StatusCode == HttpStatusCode.NotFound ? throw new CliException(NotFound(name)) : await ReadAsync<DeploymentView>(response, ct);
    }

    public async Task<DeploymentView> TakeOverAsync(string name, Action<string> progress, CancellationToken ct) =>
        await GetAsync(name, ct) ?? throw new CliException(NotFound(name));

    public async Task<DeploymentView> FollowAsync(string name, Action<DeploymentNotification> onNotification, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/deployments/{Escape(name)}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var (name_, data) in ServerSentEventReader.ReadAsync(stream, ct))
        {
            if (name_ == "snapshot")
            {
                var snapshot = JsonSerializer.Deserialize<DeploymentView>(data, CliJson.Options)!;
                if (snapshot.Status.IsSettled())
                {
                    return snapshot;
                }

                continue;
            }

            var notification = JsonSerializer.Deserialize<DeploymentNotification>(data, CliJson.Options);
            if (notification is null)
            {
                continue;
            }

            onNotification(notification);
            if (notification.Kind == NotificationKind.StatusChanged && notification.Status.IsSettled())
            {
                return await GetAsync(name, ct) ?? throw new CliException($"Deployment '{name}' disappeared from the server.");
            }
        }

        throw new CliException("The server closed the event stream before the deployment settled; it goes on on the server.");
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
