namespace Orchestra.Application.Configuration;

/// <summary>How this process holds the leases of the deployments it drives (a lease says who may run a deployment).</summary>
public sealed class LeaseOptions
{
    /// <summary>
    /// This process's owner name in lease rows. Empty means <c>HOST:PID:START</c> (host name, process id, process
    /// start time), which lets a later <c>orchestra resume</c> on the same machine prove the holder dead.
    /// </summary>
    /// <value>The default is empty.</value>
    public string Owner { get; set; } = string.Empty;

    /// <summary>
    /// How long to wait for the lease of a deployment held by another live process (or a process on another
    /// machine) to expire before <c>resume</c> gives up.
    /// </summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan AcquireTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often <c>resume</c> tries again while it waits for a lease to expire.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan AcquirePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often <c>orchestra logs --follow</c> on a local store reads the store again for attempts that have ended, while another
    /// process drives the deployment.
    /// </summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan FollowPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often <c>orchestra serve</c> looks for unfinished deployments that nobody drives (their holder died: its lease
    /// expired, or it was a process of this machine that no longer exists) and takes them over.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan TakeoverScanInterval { get; set; } = TimeSpan.FromSeconds(10);
}
