using Orchestra.Application.Api;
using Orchestra.Application.Logs;
using Orchestra.Application.Nodes;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Clients;

/// <summary>What the commands need from Orchestra: the local store (<see cref="LocalClient"/>) or a server (<see cref="HttpOrchestraClient"/>).</summary>
internal interface IOrchestraClient : IAsyncDisposable
{
    /// <summary>Whether deployments run inside this process (they stop when it exits).</summary>
    bool DrivesLocally { get; }

    /// <summary>The message for a deployment that is not there, naming where this client looked (the store, or the server).</summary>
    string NotFound(string name);

    /// <summary>Compiles and submits a template file.</summary>
    /// <exception cref="TemplateErrorsException">The template has errors.</exception>
    /// <exception cref="CliException">The name is taken, or another process drives the deployment.</exception>
    Task<Submitted> SubmitAsync(string name, string templatePath, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken ct);

    Task<DeploymentView?> GetAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<DeploymentSummary>> ListAsync(CancellationToken ct);

    /// <summary>The deployments, and those that exist but cannot be read (a server names none: it logs them).</summary>
    Task<DeploymentSurvey> SurveyAsync(CancellationToken ct);

    Task<IReadOnlyList<HistoryItem>?> GetHistoryAsync(string name, CancellationToken ct);

    Task<DeploymentPlan?> GetPlanAsync(string name, CancellationToken ct);

    /// <summary>One run of a deployment; <see langword="null"/> when the deployment or that run does not exist.</summary>
    Task<DeploymentView?> GetRunAsync(string name, int run, CancellationToken ct);

    /// <summary>The history of one run; <see langword="null"/> or empty when the deployment or that run does not exist.</summary>
    Task<IReadOnlyList<HistoryItem>?> GetRunHistoryAsync(string name, int run, CancellationToken ct);

    /// <summary>Forgets a deployment whose latest run has ended; returns how many runs were forgotten.</summary>
    /// <exception cref="CliException">Not found, its latest run has not ended, or another process drives it.</exception>
    Task<int> DeleteAsync(string name, CancellationToken ct);

    /// <summary>The selected attempts with the output journaled with their outcome; <see langword="null"/> when there is no such deployment.</summary>
    /// <exception cref="CliException">The selection names a node, operation or attempt that does not exist (the message names those that do).</exception>
    Task<DeploymentLogs?> GetLogsAsync(string name, LogSelection selection, CancellationToken ct);

    /// <summary>Carries out an action.</summary>
    /// <exception cref="CliException">Not found, not allowed in the current status, or driven by another process.</exception>
    Task<DeploymentView> ActAsync(string name, DeploymentAction action, string? reason, CancellationToken ct);

    /// <summary>
    /// Makes sure the deployment is being driven: locally, takes it over (after proving a previous holder dead, or
    /// waiting for its lease to expire) and starts it from its journal; on a server, nothing to do.
    /// </summary>
    /// <exception cref="CliException">Not found, or driven by another live process.</exception>
    Task<DeploymentView> TakeOverAsync(string name, Action<string> progress, CancellationToken ct);

    /// <summary>Follows a deployment until it is settled, reporting every notification.</summary>
    Task<DeploymentView> FollowAsync(string name, Action<DeploymentNotification> onNotification, CancellationToken ct);

    /// <summary>
    /// Submits a template file for <c>deploy --detach</c>: locally only the submission is journaled and nothing starts in this process; on
    /// a server it runs there.
    /// </summary>
    /// <exception cref="TemplateErrorsException">The template has errors.</exception>
    /// <exception cref="CliException">The name is taken, or another process drives the deployment.</exception>
    Task<Submitted> SubmitDetachedAsync(string name, string templatePath, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken ct) =>
        SubmitAsync(name, templatePath, inputs, onFailure, ct);

    /// <summary>
    /// Locally, sends a pause or cancel to the other process of this machine that drives the deployment (see
    /// <see cref="OrchestraNode.TryForwardAsync"/>) and waits until the deployment settles; a server needs nothing of the kind.
    /// </summary>
    /// <returns>The driving process and the settled status, or <see langword="null"/> when no other process drives it (act here).</returns>
    /// <exception cref="CliException">That process refused the command, or cannot be reached.</exception>
    Task<ForwardedCommand?> TryForwardAsync(string name, DeploymentAction action, string? reason, Action<int, DeploymentStatus> accepted, CancellationToken ct) =>
        Task.FromResult<ForwardedCommand?>(null);
}

/// <summary>A submitted deployment.</summary>
/// <param name="View">Its state right after submission.</param>
/// <param name="Created">Whether it is new (false: the same template and inputs were already submitted under that name).</param>
/// <param name="Warnings">The template's warnings.</param>
internal sealed record Submitted(DeploymentView View, bool Created, IReadOnlyList<ApiDiagnostic> Warnings);

/// <summary>A failure to report on stderr with an exit code.</summary>
internal class CliException : Exception
{
    public CliException(string message, int exitCode = ExitCodes.Failed)
        : base(message) => ExitCode = exitCode;

    public int ExitCode { get; }
}

/// <summary>The template does not compile; the diagnostics are printed as <c>FILE:LINE:COL: error CODE: message</c>.</summary>
internal sealed class TemplateErrorsException : CliException
{
    public TemplateErrorsException(IReadOnlyList<ApiDiagnostic> diagnostics)
        : base("The template is invalid.", ExitCodes.InvalidInput) => Diagnostics = diagnostics;

    public IReadOnlyList<ApiDiagnostic> Diagnostics { get; }
}
