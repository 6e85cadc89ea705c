using Orchestra.Application.Configuration;
using Orchestra.Engine;
using Orchestra.Engine.Files;

namespace Orchestra.Application.Nodes;

/// <summary>What an <see cref="OrchestraNode"/> is started with.</summary>
public sealed class OrchestraNodeSettings
{
    /// <summary>The node's settings (store, leases, server).</summary>
    public OrchestraOptions Orchestra { get; init; } = new();

    /// <summary>The engine's settings (bound from <c>Orchestra:Engine</c>). The node sets <see cref="EngineOptions.Owner"/>, enables leases, and puts <see cref="EngineOptions.ProcessRecordDirectory"/> beside the store unless it is configured.</summary>
    public EngineOptions Engine { get; init; } = new();

    /// <summary>
    /// The files templates may use and the engine may run (links resolved): the server restricts them to its allowed template
    /// directories; the local CLI leaves them to what its user can reach.
    /// </summary>
    /// <value>The default is <see cref="FileAccessPolicy.Unrestricted"/>.</value>
    public FileAccessPolicy FileAccess { get; init; } = FileAccessPolicy.Unrestricted;

    /// <summary>What this process is, as its control socket tells other processes (a server takes deployments handed over to it).</summary>
    /// <value>The default is <see cref="NodeRole.Command"/>.</value>
    public NodeRole Role { get; init; } = NodeRole.Command;

    /// <summary>The clock.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
