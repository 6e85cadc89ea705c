using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Output;

/// <summary>The commands that end a run from its status (so the name can be deployed again or deleted): only ones that work there.</summary>
internal static class NextSteps
{
    public static string ToEndRun(string name, DeploymentStatus status) => status switch
    {
        DeploymentStatus.Pending or DeploymentStatus.Running => $" Next: orchestra cancel {name}, then orchestra undeploy {name}.",
        DeploymentStatus.Succeeded or DeploymentStatus.Halted or DeploymentStatus.Paused or DeploymentStatus.Cancelled or DeploymentStatus.RolledBack =>
            $" Next: orchestra undeploy {name}.",
        _ => $" Follow it with: orchestra status {name}.",
    };
}
