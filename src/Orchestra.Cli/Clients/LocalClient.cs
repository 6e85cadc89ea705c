using Microsoft.Extensions.Logging;
using Orchestra.Application.Api;
using Orchestra.Application.Configuration;
using Orchestra.Application.Leases;
using Orchestra.Application.Logs;
using Orchestra.Application.Nodes;
using Orchestra.Application.Templates;
using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Clients;

/// <summary>Runs deployments in this process, on the local store (SQLite under <c>--store</c>, or the configured PostgreSQL).</summary>
internal sealed class LocalClient : IOrchestraClient
{
    private readonly OrchestraNode _node;
    private readonly OrchestraOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly IDisposable _early;
    private readonly System.Collections.Concurrent.ConcurrentQueue<DeploymentNotification> _beforeFollow = new();

    private int _disposed;

    public LocalClient(OrchestraNode node, OrchestraOptions options, ILoggerFactory loggers)
    {
        _node = node;
        _options = options;
        _loggers = loggers;

        // Submitting starts the deployment at once: keep what happens before FollowAsync subscribes.
        _early = node.Deployments.Subscribe(_beforeFollow.Enqueue);
    }

    public bool DrivesLocally => true;

    /// <summary>How often <c>logs --follow</c> reads the store again (<see cref="Application.Configuration.LeaseOptions.FollowPollInterval"/>).</summary>
    public TimeSpan FollowPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The store this client opened, named in messages (<see cref="Application.Configuration.StoreOptions.Describe"/>).</summary>
    public string Store { get; init; } = "this store";

    public string NotFound(string name) => $"There is no deployment '{name}' in {Store}.";

    public async Task<Submitted> SubmitAsync(string name, string templatePath, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken ct)
    {
        try
        {
            var outcome = await _node.SubmitAsync(name, TemplateSource.FromFile(templatePath), inputs, onFailure, ct);
            return new Submitted(outcome.View, outcome.Created, [.. outcome.Warnings.Select(ApiDiagnostic.From)]);
        }
        catch (DeploymentCommandRejectedException e)
        {
            throw new CliException($"Cannot deploy '{name}': {e.Message}.{NextSteps.ToEndRun(name, e.Status)} To keep it, deploy under another name with --name.");
        }
    }

    public Task<DeploymentView?> GetRunAsync(string name, int run, CancellationToken ct) => _node.Deployments.GetRunAsync(name, run, ct);

    public async Task<IReadOnlyList<HistoryItem>?> GetRunHistoryAsync(string name, int run, CancellationToken ct) =>
        [.. (await _node.Deployments.GetRunHistoryAsync(name, run, ct)).Select(HistoryItem.From)];

    public async Task<int> DeleteAsync(string name, CancellationToken ct)
    {
        try
        {
            return await _node.DeleteAsync(name, ct);
        }
        catch (DeploymentNotFoundException e)
        {
            throw new CliException(e.Message);
        }
        catch (DeploymentCommandRejectedException e)
        {
            throw new CliException($"Cannot delete '{name}' ({e.Status}): {e.Message}.{NextSteps.ToEndRun(name, e.Status)}");
        }
    }

    public async Task<Submitted> SubmitDetachedAsync(string name, string templatePath, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken ct)
    {
        try
        {
            var outcome = await _node.SubmitDetachedAsync(name, TemplateSource.FromFile(templatePath), inputs, onFailure, ct);
            return new Submitted(outcome.View, outcome.Created, [.. outcome.Warnings.Select(ApiDiagnostic.From)]);
        }
        catch (DeploymentCommandRejectedException e)
        {
            throw new CliException($"Cannot deploy '{name}': {e.Message} Choose another name with --name, or undeploy the existing one.");
        }
    }

    public async Task<ForwardedCommand?> TryForwardAsync(string name, DeploymentAction action, string? reason, Action<int, DeploymentStatus> accepted, CancellationToken ct)
    {
        try
        {
            return await _node.TryForwardAsync(name, action, reason, accepted, ct);
        }
        catch (DeploymentCommandRejectedException e)
        {
            throw new CliException($"Cannot {action.ToString().ToLowerInvariant()} '{name}': {e.Message}");
        }
    }

    /// <summary>The pid of the live process of this machine that drives <paramref name="name"/>, other than this one, if any.</summary>
    public async Task<int?> DriverAsync(string name, CancellationToken ct) =>
        await _node.LeaseHolderAsync(name, ct) is { } holder && !string.Equals(holder, _node.Owner, StringComparison.Ordinal) && LeaseOwnerIdentity.TryParse(holder, out var driver)
            && driver.IsOnThisMachine && !driver.IsDeadLocalProcess()
            ? driver.ProcessId
            : null;

    /// <summary>
    /// Hands a pending deployment to an <c>orchestra serve</c> running on this store, if there is one (see <see cref="OrchestraNode.HandOverAsync"/>).
    /// Call it once this client is disposed, so that this process holds no lease of it.
    /// </summary>
    /// <returns>The server's pid, or <see langword="null"/> when no server on this store took it.</returns>
    public Task<int?> HandOverAsync(string name, CancellationToken ct) => OrchestraNode.HandOverAsync(_options, name, ct);

    public Task<DeploymentView?> GetAsync(string name, CancellationToken ct) => _node.Deployments.GetAsync(name, ct);

    public Task<IReadOnlyList<DeploymentSummary>> ListAsync(CancellationToken ct) => _node.Deployments.ListAsync(ct);

    public Task<DeploymentSurvey> SurveyAsync(CancellationToken ct) => _node.SurveyAsync(ct);

    public async Task<IReadOnlyList<HistoryItem>?> GetHistoryAsync(string name, CancellationToken ct) =>
        [.. (await _node.Deployments.GetHistoryAsync(name, ct)).Select(HistoryItem.From)];

    public Task<DeploymentPlan?> GetPlanAsync(string name, CancellationToken ct) => _node.GetPlanAsync(name, ct);

    public async Task<DeploymentLogs?> GetLogsAsync(string name, LogSelection selection, CancellationToken ct)
    {
        if (await _node.Deployments.GetLogsAsync(name, ct) is not { } attempts || await _node.GetPlanAsync(name, ct) is not { } plan)
        {
            return null;
        }

        try
        {
            return new DeploymentLogs(name, selection.Apply(name, plan, attempts));
        }
        catch (LogSelectionException e)
        {
            throw new CliException(e.Message);
        }
    }

    public async Task<DeploymentView> ActAsync(string name, DeploymentAction action, string? reason, CancellationToken ct)
    {
        try
        {
            return await _node.ActAsync(name, action, reason, ct);
        }
        catch (DeploymentNotFoundException)
        {
            throw new CliException(NotFound(name));
        }
        catch (DeploymentCommandRejectedException e)
        {
            throw new CliException($"Cannot {action.ToString().ToLowerInvariant()} '{name}' ({e.Status}): {e.Message}");
        }
    }

    public async Task<DeploymentView> TakeOverAsync(string name, Action<string> progress, CancellationToken ct)
    {
        if (await _node.Deployments.GetAsync(name, ct) is null)
        {
            throw new CliException(NotFound(name));
        }

        // Once the lease is free, the deployment's actor starts from its journal at the first command or wait
        // (FollowAsync), and carries on where the previous process stopped.
        await _node.Leases.EnsureFreeAsync(name, wait: true, progress, ct);
        return await _node.Deployments.GetAsync(name, ct) ?? throw new CliException(NotFound(name));
    }

    public async Task<DeploymentView> FollowAsync(string name, Action<DeploymentNotification> onNotification, CancellationToken ct)
    {
        // Between subscribing and dropping the early subscription a notification can arrive twice: report it once.
        var seen = new HashSet<DeploymentNotification>();
        void Forward(DeploymentNotification n)
        {
            if (!string.Equals(n.DeploymentId, name, StringComparison.Ordinal))
            {
                return;
            }

            lock (seen)
            {
                if (!seen.Add(n))
                {
                    return;
                }
            }

            onNotification(n);
        }

        using var subscription = _node.Deployments.Subscribe(Forward);
        _early.Dispose();
        while (_beforeFollow.TryDequeue(out var early))
        {
            Forward(early);
        }

        return await _node.Deployments.WaitAsync(name, ct);
    }

    /// <summary>Stops the engine: running operations are killed (they run again on resume) and their end awaited; leases are released.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _early.Dispose();
        await _node.DisposeAsync();
        _loggers.Dispose();
    }
}
