using Microsoft.Extensions.Logging;
using Orchestra.Application.Configuration;
using Orchestra.Application.Control;
using Orchestra.Application.Leases;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;

namespace Orchestra.Application.Nodes;

// The control socket: commands between processes of this machine on the same store (see ControlSocket).
public sealed partial class OrchestraNode
{
    private ControlEndpoint? _control;
    private NodeRole _role;
    private ControlOptions _controlOptions = new();
    private string _controlDirectory = string.Empty;

    private string RoleName => _role == NodeRole.Server ? "server" : "command";

    private void StartControl(OrchestraNodeSettings settings, ILoggerFactory loggerFactory)
    {
        _role = settings.Role;
        _controlOptions = settings.Orchestra.Control;
        _controlDirectory = ControlSocket.DirectoryFor(settings.Orchestra.Store);
        if (_controlOptions.Enabled)
        {
            _control = ControlEndpoint.TryStart(_controlDirectory, _controlOptions, HandleControlAsync, loggerFactory.CreateLogger<ControlEndpoint>());
        }
    }

    /// <summary>
    /// Sends a pause or cancel to the process of this machine that drives <paramref name="deploymentId"/> (it holds its lease), through its
    /// control socket; that process journals it. This process writes nothing.
    /// </summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="action"><see cref="DeploymentAction.Pause"/> or <see cref="DeploymentAction.Cancel"/>.</param>
    /// <param name="reason">Why, for the history.</param>
    /// <param name="accepted">Told the driving process's pid and the status once the command is journaled, before the deployment settles.</param>
    /// <param name="cancellationToken">Stops waiting (the command stays journaled).</param>
    /// <returns>
    /// <see langword="null"/> when no live process of this machine drives it (act here instead); otherwise the driving process and the
    /// status the deployment settled in (<see langword="null"/> when that process stopped before it settled).
    /// </returns>
    /// <exception cref="DeploymentCommandRejectedException">The driving process refused the command (the message says why).</exception>
    /// <exception cref="DeploymentLeaseHeldException">The driving process cannot be reached.</exception>
    public async Task<ForwardedCommand?> TryForwardAsync(
        string deploymentId, DeploymentAction action, string? reason, Action<int, DeploymentStatus>? accepted, CancellationToken cancellationToken)
    {
        if (action is not (DeploymentAction.Pause or DeploymentAction.Cancel))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Only pause and cancel are sent to another process.");
        }

        var holder = await LeaseHolderAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        if (holder is null || string.Equals(holder, Owner, StringComparison.Ordinal) || !LeaseOwnerIdentity.TryParse(holder, out var driver)
            || !driver.IsOnThisMachine || driver.IsDeadLocalProcess())
        {
            return null;
        }

        var socket = ControlSocket.PathOf(_controlDirectory, driver.ProcessId);
        ControlReply reply;
        ControlReply? settled;
        try
        {
            (reply, settled) = await ControlSocket.SendAsync(
                socket, new ControlRequest("act", deploymentId, action.ToString(), reason), _controlOptions,
                first => accepted?.Invoke(first.ProcessId, Enum.TryParse<DeploymentStatus>(first.Status, out var s) ? s : DeploymentStatus.Pending),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ControlUnreachableException e)
        {
            throw new DeploymentLeaseHeldException(deploymentId, holder,
                $"Deployment '{deploymentId}' is being driven by process {driver.ProcessId} on this machine, which cannot be reached ({e.Message}). " +
                "Two processes must never drive the same deployment: stop that process (Ctrl-C in its terminal), then run this again.");
        }

        if (!reply.Ok)
        {
            var status = (await _host.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false))?.Status ?? DeploymentStatus.Pending;
            throw new DeploymentCommandRejectedException(deploymentId, status, $"process {driver.ProcessId}, which drives it, refused: {reply.Error}");
        }

        return new ForwardedCommand(driver.ProcessId, settled is { Ok: true } && Enum.TryParse<DeploymentStatus>(settled.Status, out var final) ? final : null);
    }

    private async Task<ControlAnswer> HandleControlAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        var pid = Environment.ProcessId;
        ControlAnswer Refuse(string why) => new(new ControlReply(false, pid, RoleName, why));
        switch (request.Op)
        {
            case "hello":
                return new(new ControlReply(true, pid, RoleName));
            case "act" when request.Deployment is { } id:
                if (!Enum.TryParse<DeploymentAction>(request.Action, ignoreCase: true, out var action) || action is not (DeploymentAction.Pause or DeploymentAction.Cancel))
                {
                    return Refuse($"'{request.Action}' cannot be sent to another process (only Pause and Cancel)");
                }

                // Only what this process drives: a deployment whose lease it does not hold is not its to command (nor to take over).
                if (!string.Equals(await LeaseHolderAsync(id, cancellationToken).ConfigureAwait(false), Owner, StringComparison.Ordinal))
                {
                    return Refuse($"process {pid} does not drive deployment '{id}'");
                }

                try
                {
                    var view = await ActAsync(id, action, request.Reason, cancellationToken).ConfigureAwait(false);
                    return new(new ControlReply(true, pid, RoleName, Status: view.Status.ToString()), ct => SettledAsync(id, ct));
                }
                catch (Exception e) when (e is DeploymentCommandRejectedException or DeploymentNotFoundException or DeploymentLeaseHeldException or DeploymentUnavailableException)
                {
                    return Refuse(e.Message);
                }

            case "drive" when request.Deployment is { } id:
                if (_role != NodeRole.Server)
                {
                    return Refuse($"process {pid} is an orchestra command, not a server: it drives only what it was started for");
                }

                await Deployments.RecoverAllAsync(cancellationToken).ConfigureAwait(false);
                var driving = string.Equals(await LeaseHolderAsync(id, cancellationToken).ConfigureAwait(false), Owner, StringComparison.Ordinal);
                return new(new ControlReply(driving, pid, RoleName, driving ? null : $"deployment '{id}' was not started here", Driving: driving));
            default:
                return Refuse($"unknown request '{request.Op}'");
        }
    }

    private async Task<ControlReply> SettledAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var pid = Environment.ProcessId;
        try
        {
            var view = await _host.WaitAsync(deploymentId, cancellationToken).ConfigureAwait(false);
            return new ControlReply(true, pid, RoleName, Status: view.Status.ToString());
        }
        catch (Exception e) when (e is DeploymentUnavailableException or ObjectDisposedException or OperationCanceledException)
        {
            return new ControlReply(false, pid, RoleName, $"process {pid} stopped driving deployment '{deploymentId}' before it settled");
        }
    }
}

/// <summary>A command carried out by the process that drives the deployment (<see cref="OrchestraNode.TryForwardAsync"/>).</summary>
/// <param name="ProcessId">That process.</param>
/// <param name="Settled">The status the deployment settled in; <see langword="null"/> when the process stopped before it settled.</param>
public sealed record ForwardedCommand(int ProcessId, DeploymentStatus? Settled);
