using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestra.Application.Api;
using Orchestra.Application.Logs;
using Orchestra.Server.Hosting;

namespace Orchestra.Server.Api;

/// <summary><c>GET /api/deployments/{id}/logs</c>: the end of what each attempt's script printed, as journaled with its outcome.</summary>
/// <remarks>Lines of running attempts come live on the event stream, as <c>taskOutput</c> events.</remarks>
internal static class LogEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/deployments/{id}/logs", GetLogsAsync)
            .WithTags("Deployments").WithName("GetDeploymentLogs")
            .WithSummary("Every attempt with the end of its stdout and stderr; ?node=, &operation= and &attempt= narrow it.")
            .Produces<DeploymentLogs>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> GetLogsAsync(
        string id, string? node, string? operation, string? attempt, OrchestraNodeService service, CancellationToken ct)
    {
        int? number = null;
        if (!string.IsNullOrEmpty(attempt))
        {
            if (!int.TryParse(attempt, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return Problems.InvalidRequest($"attempt must be a whole number of 1 or more, not '{attempt}'.");
            }

            number = parsed;
        }

        var deployments = service.Node.Deployments;
        if (await deployments.GetLogsAsync(id, ct).ConfigureAwait(false) is not { } attempts
            || await service.Node.GetPlanAsync(id, ct).ConfigureAwait(false) is not { } plan)
        {
            return Problems.NotFound(id, service.Store);
        }

        try
        {
            var selected = new LogSelection(NullIfEmpty(node), NullIfEmpty(operation), number).Apply(id, plan, attempts);
            return Results.Ok(new DeploymentLogs(id, selected));
        }
        catch (LogSelectionException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such node, operation or attempt", detail: e.Message,
                type: ProblemTypes.SelectionNotFound, extensions: new Dictionary<string, object?> { ["deploymentId"] = id });
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
