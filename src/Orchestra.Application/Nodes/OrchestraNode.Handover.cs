using Orchestra.Application.Configuration;
using Orchestra.Application.Control;
using Orchestra.Application.Leases;
using Orchestra.Application.Templates;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;

namespace Orchestra.Application.Nodes;

// `deploy --detach` on a local store: journal the submission, start nothing here, and hand it to a server on the same store if one runs.
public sealed partial class OrchestraNode
{
    /// <summary>
    /// Compiles a template and journals its submission under <paramref name="deploymentId"/> without starting anything in this process:
    /// the deployment stays pending until a process drives it (<c>orchestra resume</c>, a server on the store, <see cref="HandOverAsync"/>).
    /// </summary>
    /// <param name="deploymentId">The deployment name.</param>
    /// <param name="source">The template.</param>
    /// <param name="inputs">Input values as text.</param>
    /// <param name="onFailure">Overrides the template's failure action, if set.</param>
    /// <param name="cancellationToken">Cancels waiting (the submission may still have been journaled).</param>
    /// <returns>The deployment, and whether it is new (an existing one with the same plan is returned as it is, and not started either).</returns>
    /// <exception cref="TemplateInvalidException">The template has errors.</exception>
    /// <exception cref="DeploymentCommandRejectedException">The name is taken by a deployment of another template or other inputs.</exception>
    /// <exception cref="DeploymentLeaseHeldException">A new name's lease is held by another live process.</exception>
    public async Task<SubmitOutcome> SubmitDetachedAsync(
        string deploymentId, TemplateSource source, IReadOnlyDictionary<string, string> inputs, FailureAction? onFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var compiled = Templates.Compile(source, inputs);
        if (compiled.Plan is null)
        {
            throw new TemplateInvalidException(compiled.Diagnostics);
        }

        // An existing deployment is returned untouched (see SubmitWithoutStartingAsync); only a new name's lease needs checking.
        if (await _host.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false) is null)
        {
            await Leases.EnsureFreeAsync(deploymentId, wait: false, progress: null, cancellationToken).ConfigureAwait(false);
        }

        var submitted = await _host.SubmitWithoutStartingAsync(deploymentId, compiled.Plan, SubmitOptionsFor(source, inputs, onFailure), cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome(submitted.View, submitted.Created, compiled.Diagnostics);
    }

    /// <summary>
    /// Hands a pending deployment to an <c>orchestra serve</c> running on this store on this machine: asks each process with a control
    /// socket there (<see cref="ControlSocket"/>) to drive it, until a server does. Call it from a process that holds no lease of the deployment.
    /// </summary>
    /// <param name="options">The settings (store and control socket) of the store.</param>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="cancellationToken">Stops asking.</param>
    /// <returns>The pid of the server that drives it now, or <see langword="null"/> when none did.</returns>
    public static async Task<int?> HandOverAsync(OrchestraOptions options, string deploymentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = ControlSocket.DirectoryFor(options.Store);
        foreach (var pid in ControlSocket.ListProcesses(directory))
        {
            var socket = ControlSocket.PathOf(directory, pid);
            if (pid == Environment.ProcessId)
            {
                continue;
            }

            if (LeaseOwnerIdentity.ReadStartTicks(pid) is null)
            {
                // Its process is gone (killed before it could remove it).
                TryDelete(socket);
                continue;
            }

            try
            {
                var (reply, _) = await ControlSocket.SendAsync(socket, new ControlRequest("drive", deploymentId), options.Control, null, cancellationToken).ConfigureAwait(false);
                if (reply.Ok && reply.Driving)
                {
                    return reply.ProcessId;
                }
            }
            catch (ControlUnreachableException)
            {
                // A process that does not answer cannot take it; ask the next.
            }
        }

        return null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Whoever finds it next tries again.
        }
    }
}
