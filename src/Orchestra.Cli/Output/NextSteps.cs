using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Output;

/// <summary>The commands that end a run from its status (so the name can be deployed again or deleted): only ones that work there.</summary>
internal static class NextSteps
{
    public static string ToEndRun(string name, DeploymentStatus status) => status switch
    {
        DeploymentStatus.Pending => $" Next: orchestra cancel {name}.",
        DeploymentStatus.Running => $" Next: orchestra cancel {name}, then orchestra undeploy {name}.",
        DeploymentStatus.Succeeded or DeploymentStatus.Halted or DeploymentStatus.Paused or DeploymentStatus.Cancelled or DeploymentStatus.RolledBack =>
            $" Next: orchestra undeploy {name}.",
        _ => $" Follow it with: orchestra status {name}.",
    };

    /// <summary>
    /// What to do with a settled run that the same template was deployed onto again (a new run starts only once it has ended), or
    /// <see langword="null"/> when it needs nothing (it succeeded).
    /// </summary>
    public static string? AfterSettledResubmit(DeploymentView view)
    {
        var name = view.DeploymentId;
        var left = view.DeployedNodes == 1 ? "1 node is" : $"{view.DeployedNodes} nodes are";
        return view.Status switch
        {
            DeploymentStatus.Halted => $"'{name}' is halted; to run its failed operations again: orchestra retry {name} (or tear it down: orchestra undeploy {name})",
            DeploymentStatus.Paused => $"'{name}' is paused; to continue it: orchestra resume {name}",
            DeploymentStatus.Cancelled or DeploymentStatus.RolledBack =>
                $"'{name}' ended {view.Status} and {left} still deployed; to deploy it again: orchestra undeploy {name}, then deploy",
            _ => null,
        };
    }
}
