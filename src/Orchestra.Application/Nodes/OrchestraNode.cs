using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Actors.Persistence;
using Orchestra.Application.Configuration;
using Orchestra.Application.Leases;
using Orchestra.Application.Templates;
using Orchestra.Engine;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Postgres;
using Orchestra.Persistence.Sqlite;
using Orchestra.Tosca;

namespace Orchestra.Application.Nodes;

/// <summary>
/// The application layer shared by <c>orchestra</c> run locally and <c>orchestra serve</c>: the store, the actor system,
/// the engine (<see cref="IDeploymentsHost"/>) and TOSCA compilation, wired together.
/// </summary>
/// <remarks>
/// Every deployment is driven under a lease in the store (owner <see cref="LeaseOwnerIdentity.Current"/>), so two
/// processes never drive the same deployment; <see cref="Leases"/> checks and clears leases left by dead processes
/// before this node takes a deployment, including a new name's lease whose holder died before its first journal write. Dispose the node to stop the engine and close the store: what is journaled
/// stays, and an unfinished deployment is resumable by the next process. Operation processes are recorded per store
/// (<see cref="StoreOptions.ProcessRecordDirectory"/>), so a process a killed predecessor left running on this machine is
/// stopped before its operation runs again.
/// </remarks>
public sealed partial class OrchestraNode : IAsyncDisposable
{
    private readonly IPersistence _persistence;
    private readonly DeploymentsHost _host;

    private OrchestraNode(IPersistence persistence, DeploymentsHost host, LeaseGuard leases, TemplateCompiler compiler, string owner)
    {
        _persistence = persistence;
        _host = host;
        Leases = leases;
        Templates = compiler;
        Owner = owner;
    }

    /// <summary>The engine.</summary>
    public IDeploymentsHost Deployments => _host;

    /// <summary>Checks deployment leases before this node drives a deployment.</summary>
    public LeaseGuard Leases { get; }

    /// <summary>Compiles templates to plans.</summary>
    public TemplateCompiler Templates { get; }

    /// <summary>This node's lease owner name.</summary>
    public string Owner { get; }

    /// <summary>Opens the store and starts the engine. Recovers nothing by itself (see <see cref="IDeploymentsHost.RecoverAllAsync"/>).</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="loggerFactory">Where the engine logs; <see langword="null"/> for nowhere.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running node.</returns>
    /// <exception cref="InvalidOperationException">The store is misconfigured (e.g. PostgreSQL without a connection string).</exception>
    public static async Task<OrchestraNode> StartAsync(OrchestraNodeSettings settings, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        loggerFactory ??= NullLoggerFactory.Instance;
        var options = settings.Orchestra;
        var owner = string.IsNullOrWhiteSpace(options.Leases.Owner) ? LeaseOwnerIdentity.Current.ToString() : options.Leases.Owner;
        var engine = settings.Engine;
        engine.Owner = owner;
        engine.LeasesEnabled = true;
        engine.TimeProvider = settings.TimeProvider;
        engine.FileAccess = settings.FileAccess;
        engine.ProcessRecordDirectory = string.IsNullOrWhiteSpace(engine.ProcessRecordDirectory)
            ? options.Store.ProcessRecordDirectory()
            : Path.GetFullPath(engine.ProcessRecordDirectory);
        engine.Validate();

        var persistence = await OpenStoreAsync(options.Store, settings.TimeProvider, loggerFactory, cancellationToken).ConfigureAwait(false);
        try
        {
            // The actor system starts with the first deployment this process drives: reading commands never start one.
            var host = DeploymentsHost.WithActorSystemOnDemand("orchestra", persistence, engine, new ExecutorRegistry(engine, loggerFactory), loggerFactory);
            var guard = new LeaseGuard(persistence.Leases, owner, options.Leases, settings.TimeProvider, loggerFactory.CreateLogger<LeaseGuard>());
            var node = new OrchestraNode(persistence, host, guard, new TemplateCompiler(options.Compiler.WithFileAccess(settings.FileAccess)), owner);
            node.StartControl(settings, loggerFactory);
            return node;
        }
        catch
        {
            await persistence.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<IPersistence> OpenStoreAsync(StoreOptions store, TimeProvider time, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        switch (store.Provider)
        {
            case StoreProvider.Sqlite:
                var path = store.SqlitePath();
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = path, TimeProvider = time }, loggerFactory);
            case StoreProvider.Postgres:
                if (string.IsNullOrWhiteSpace(store.ConnectionString))
                {
                    throw new InvalidOperationException("Orchestra:Store:Provider is Postgres but Orchestra:Store:ConnectionString is empty.");
                }

                return await PostgresPersistence.OpenAsync(
                    new PostgresPersistenceOptions { ConnectionString = store.ConnectionString, Schema = store.Schema, TimeProvider = time },
                    loggerFactory: loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"Unknown store provider '{store.Provider}'.");
        }
    }

    /// <summary>Compiles a template and submits it under <paramref name="deploymentId"/>.</summary>
    /// <param name="deploymentId">The deployment name.</param>
    /// <param name="source">The template.</param>
    /// <param name="inputs">Input values as text.</param>
    /// <param name="onFailure">Overrides the template's failure action, if set.</param>
    /// <param name="cancellationToken">Cancels waiting (the submission may still have been journaled).</param>
    /// <returns>The deployment, and whether it is new.</returns>
    /// <exception cref="TemplateInvalidException">The template has errors.</exception>
    /// <exception cref="DeploymentCommandRejectedException">The name's latest run has not ended and runs another template or other inputs.</exception>
    /// <exception cref="DeploymentLeaseHeldException">Another live process drives the deployment of that name.</exception>
    public async Task<SubmitOutcome> SubmitAsync(
        string deploymentId, TemplateSource source, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken cancellationToken)
    {
        var compiled = Templates.Compile(source, inputs);
        if (compiled.Plan is null)
        {
            throw new TemplateInvalidException(compiled.Diagnostics);
        }

        var existing = await _host.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false);

        // The run the submission goes to (the next one once the latest has ended), checked with or without a journal: a process
        // killed between taking the lease and its first write leaves a lease and nothing else, and a dead local holder's lease is
        // released at once either way (its writes are fenced).
        var run = existing is null ? 1 : DeploymentRuns.HasEnded(existing) ? existing.Run + 1 : existing.Run;
        await Leases.EnsureFreeAsync(deploymentId, run, wait: false, progress: null, cancellationToken).ConfigureAwait(false);

        var options = SubmitOptionsFor(source, inputs, onFailure);
        // Whether it is new is the deployment actor's answer, not the look-up above: concurrent identical submissions all find nothing
        // there, and the actor, taking them one at a time, journals exactly one.
        var submitted = await _host.SubmitNewAsync(deploymentId, compiled.Plan, options, cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome(submitted.View, submitted.Created, compiled.Diagnostics);
    }

    private static SubmitOptions SubmitOptionsFor(TemplateSource source, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure) =>
        new(onFailure, inputs.Count == 0 ? null : new Dictionary<string, string>(inputs, StringComparer.Ordinal),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["template"] = source.Text is null ? Path.GetFullPath(source.Path) : source.Path });

    /// <summary>Every deployment in the store, the unreadable ones named with why (<see cref="DeploymentsHost.SurveyAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The readable deployments' summaries and the unreadable ones' errors.</returns>
    public Task<DeploymentSurvey> SurveyAsync(CancellationToken cancellationToken) => _host.SurveyAsync(cancellationToken);

    /// <summary>The plan a deployment runs (journaled with its submission).</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plan, or <see langword="null"/> if there is no such deployment.</returns>
    public async Task<DeploymentPlan?> GetPlanAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var history = await _host.GetHistoryAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        return history.Select(h => h.Event).OfType<DeploymentSubmitted>().FirstOrDefault()?.Plan;
    }

    /// <summary>Carries out an operator action, after checking that no other live process drives the deployment.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="action">The action.</param>
    /// <param name="reason">Why (cancel and pause), for the history.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The view right after the action is journaled.</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">The action is not possible in the current status.</exception>
    /// <exception cref="DeploymentLeaseHeldException">Another live process drives the deployment.</exception>
    public async Task<DeploymentView> ActAsync(string deploymentId, DeploymentAction action, string? reason, CancellationToken cancellationToken)
    {
        var view = await _host.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false) ?? throw new DeploymentNotFoundException(deploymentId);
        await Leases.EnsureFreeAsync(deploymentId, view.Run, wait: false, progress: null, cancellationToken).ConfigureAwait(false);
        return action switch
        {
            DeploymentAction.Cancel => await _host.CancelAsync(deploymentId, reason, cancellationToken).ConfigureAwait(false),
            DeploymentAction.Pause => await _host.PauseAsync(deploymentId, reason, cancellationToken).ConfigureAwait(false),
            DeploymentAction.Resume => await _host.ResumeAsync(deploymentId, cancellationToken).ConfigureAwait(false),
            DeploymentAction.Retry => await _host.RetryAsync(deploymentId, cancellationToken).ConfigureAwait(false),
            DeploymentAction.Undeploy => await _host.UndeployAsync(deploymentId, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
        };
    }

    /// <summary>
    /// Forgets a deployment whose latest run has ended (<see cref="DeploymentRuns.HasEnded"/>), after checking that no other live process
    /// drives any of its runs (a dead local holder's lease is released first).
    /// </summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>How many runs were forgotten.</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">Its latest run has not ended; the message says what to do first.</exception>
    /// <exception cref="DeploymentLeaseHeldException">Another live process drives one of its runs.</exception>
    public async Task<int> DeleteAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var view = await _host.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false) ?? throw new DeploymentNotFoundException(deploymentId);
        for (var run = 1; run <= view.Run; run++)
        {
            await Leases.EnsureFreeAsync(deploymentId, run, wait: false, progress: null, cancellationToken).ConfigureAwait(false);
        }

        return await _host.DeleteAsync(deploymentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Who holds the lease of the latest run of <paramref name="deploymentId"/> now, if anyone.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holder's owner name, or <see langword="null"/> (also when there is no such deployment).</returns>
    public async Task<string?> LeaseHolderAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var latest = await _host.LatestRunAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        return await Leases.HolderAsync(deploymentId, Math.Max(latest, 1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops serving the control socket, then the engine (running operations are killed, their process groups awaited for at most the kill
    /// grace period plus the command timeout; they re-run on resume), and closes the store.
    /// </summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_control is { } control)
        {
            await control.DisposeAsync().ConfigureAwait(false);
        }

        await _host.DisposeAsync().ConfigureAwait(false);
        await _persistence.DisposeAsync().ConfigureAwait(false);
    }
}
