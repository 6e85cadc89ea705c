using Orchestra.Engine.Deployments;

namespace Orchestra.Application.Logs;

/// <summary>The answer of <c>GET /api/deployments/{id}/logs</c> and of <c>orchestra logs --json</c>.</summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Attempts">The selected attempts, in the order they started, each with the end of its stdout and stderr.</param>
public sealed record DeploymentLogs(string DeploymentId, IReadOnlyList<AttemptLog> Attempts);
