namespace Orchestra.Cli.Clients;

/// <summary>How a command follows a deployment's event stream on a server (<c>Orchestra:Cli:Follow</c>).</summary>
internal sealed class FollowOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Orchestra:Cli:Follow";

    /// <summary>How long to wait before connecting again after the stream dropped (it resumes from the last event received).</summary>
    /// <value>The default is 2 seconds.</value>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times in a row to connect again before giving up (the deployment goes on on the server).</summary>
    /// <value>The default is 10.</value>
    public int MaxReconnectAttempts { get; set; } = 10;
}
