namespace Orchestra.Application.Nodes;

/// <summary>The operator actions on a deployment (CLI commands and <c>POST /api/deployments/{id}/{action}</c>).</summary>
public enum DeploymentAction
{
    /// <summary>Cancel: running operations are killed, nothing new starts.</summary>
    Cancel,

    /// <summary>Pause: running operations finish, nothing new starts.</summary>
    Pause,

    /// <summary>Resume a paused deployment.</summary>
    Resume,

    /// <summary>Retry the failed operations of a halted deployment.</summary>
    Retry,

    /// <summary>Undeploy: run the teardown operations.</summary>
    Undeploy,
}
