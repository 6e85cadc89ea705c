using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Output;

/// <summary>Shows a deployment's progress while a command follows it.</summary>
internal interface IProgressView
{
    /// <summary>Runs <paramref name="follow"/> (which reports notifications to <see cref="OnNotification"/>) while showing progress.</summary>
    Task<DeploymentView> RunAsync(Func<Task<DeploymentView>> follow, CancellationToken ct);

    void OnNotification(DeploymentNotification notification);

    /// <summary>A message from the command (e.g. "cancelling..."), shown without disturbing the view.</summary>
    void Say(string message);
}

/// <summary>Plain lines, one per notification: for redirected output and logs.</summary>
internal sealed class PlainProgressView(TextWriter output) : IProgressView
{
    private readonly Lock _lock = new();

    public Task<DeploymentView> RunAsync(Func<Task<DeploymentView>> follow, CancellationToken ct) => follow();

    public void OnNotification(DeploymentNotification notification)
    {
        // That this process read the deployment back from its journal is how it works, not news: the lines say what happens next.
        if (notification.Kind is NotificationKind.NodeStatusChanged or NotificationKind.Recovered)
        {
            return;
        }

        lock (_lock)
        {
            output.WriteLine(Formats.Line(notification));
            output.Flush();
        }
    }

    public void Say(string message)
    {
        lock (_lock)
        {
            output.WriteLine(message);
            output.Flush();
        }
    }
}

/// <summary>Shows nothing while following (for <c>--json</c>).</summary>
internal sealed class SilentProgressView : IProgressView
{
    public Task<DeploymentView> RunAsync(Func<Task<DeploymentView>> follow, CancellationToken ct) => follow();

    public void OnNotification(DeploymentNotification notification)
    {
    }

    public void Say(string message) => Console.Error.WriteLine(message);
}
