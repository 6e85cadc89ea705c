using Orchestra.Application.Api;
using Orchestra.Application.Logs;
using Orchestra.Application.Nodes;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Clients;

/// <summary>
/// The local store when its file does not exist and the command only reads or acts: it answers that there is nothing, and creates
/// nothing (opening the store would create its directory and database), as <c>git status</c> outside a repository does.
/// </summary>
/// <param name="databasePath">The SQLite file that is not there.</param>
internal sealed class NoStoreClient(string databasePath) : IOrchestraClient
{
    /// <summary>Where the store would be.</summary>
    public string DatabasePath => databasePath;

    /// <summary>What <c>list</c> says.</summary>
    public string Message => $"There is no store at {databasePath}: no deployments (orchestra deploy creates it).";

    public bool DrivesLocally => true;

    public string NotFound(string name) => $"There is no deployment '{name}': there is no store at {databasePath}.";

    public Task<Submitted> SubmitAsync(string name, string templatePath, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken ct) =>
        throw new InvalidOperationException("deploy opens the store, creating it.");

    public Task<DeploymentView?> GetAsync(string name, CancellationToken ct) => Task.FromResult<DeploymentView?>(null);

    public Task<IReadOnlyList<DeploymentSummary>> ListAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<DeploymentSummary>>([]);

    public Task<DeploymentSurvey> SurveyAsync(CancellationToken ct) => Task.FromResult(new DeploymentSurvey([], []));

    public Task<IReadOnlyList<HistoryItem>?> GetHistoryAsync(string name, CancellationToken ct) => Task.FromResult<IReadOnlyList<HistoryItem>?>(null);

    public Task<DeploymentPlan?> GetPlanAsync(string name, CancellationToken ct) => Task.FromResult<DeploymentPlan?>(null);

    public Task<DeploymentView?> GetRunAsync(string name, int run, CancellationToken ct) => Task.FromResult<DeploymentView?>(null);

    public Task<IReadOnlyList<HistoryItem>?> GetRunHistoryAsync(string name, int run, CancellationToken ct) => Task.FromResult<IReadOnlyList<HistoryItem>?>(null);

    public Task<int> DeleteAsync(string name, CancellationToken ct) => throw new CliException(NotFound(name));

    public Task<DeploymentLogs?> GetLogsAsync(string name, LogSelection selection, CancellationToken ct) => Task.FromResult<DeploymentLogs?>(null);

    public Task<DeploymentView> ActAsync(string name, DeploymentAction action, string? reason, CancellationToken ct) => throw new CliException(NotFound(name));

    public Task<DeploymentView> TakeOverAsync(string name, Action<string> progress, CancellationToken ct) => throw new CliException(NotFound(name));

    public Task<DeploymentView> FollowAsync(string name, Action<DeploymentNotification> onNotification, CancellationToken ct) => throw new CliException(NotFound(name));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
