namespace Orchestra.Application.Leases;

/// <summary>
/// Thrown when another live process holds the lease of a deployment: two processes must never drive the same
/// deployment. The message says who holds it and what to do.
/// </summary>
public sealed class DeploymentLeaseHeldException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="owner">The lease holder.</param>
    /// <param name="message">What happened and what to do.</param>
    public DeploymentLeaseHeldException(string deploymentId, string owner, string message)
        : base(message)
    {
        DeploymentId = deploymentId;
        Owner = owner;
    }

    /// <summary>The deployment.</summary>
    public string DeploymentId { get; }

    /// <summary>The lease holder.</summary>
    public string Owner { get; }
}
