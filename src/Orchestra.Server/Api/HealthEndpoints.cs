using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestra.Server.Hosting;

namespace Orchestra.Server.Api;

/// <summary><c>GET /healthz</c>: liveness and readiness, without authentication.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", (OrchestraNodeService service) => service.IsReady
                ? Results.Ok(new HealthReport("ok", service.RecoveredCount))
                : Results.Json(new HealthReport("starting", 0), statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithTags("Health").WithName("Health")
            .WithSummary("200 once the engine is running and has recovered the unfinished deployments; 503 before.")
            .Produces<HealthReport>().Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
}

/// <summary>The body of <c>GET /healthz</c>.</summary>
/// <param name="Status"><c>ok</c> or <c>starting</c>.</param>
/// <param name="Recovered">How many unfinished deployments were recovered at start.</param>
public sealed record HealthReport(string Status, int Recovered);
