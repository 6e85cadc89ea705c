namespace Orchestra.Application.Api;

/// <summary>The answer to <c>DELETE /api/deployments/{id}</c> (and <c>orchestra delete --json</c>): what was forgotten.</summary>
/// <param name="DeploymentId">The deployment whose records were removed; the name is free again.</param>
/// <param name="Runs">How many runs of it were forgotten.</param>
public sealed record DeletedDeployment(string DeploymentId, int Runs);
