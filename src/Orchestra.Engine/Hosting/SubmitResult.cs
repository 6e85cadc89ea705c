using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Hosting;

/// <summary>What a submission did.</summary>
/// <param name="View">The deployment right after the submission.</param>
/// <param name="Created">
/// Whether this call journaled the deployment; <see langword="false"/> when the same plan was already submitted under that id. Of any
/// number of identical submissions, concurrent or not, exactly one is told <see langword="true"/>.
/// </param>
public sealed record SubmitResult(DeploymentView View, bool Created);
