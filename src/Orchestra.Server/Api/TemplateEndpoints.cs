using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestra.Application.Api;
using Orchestra.Server.Hosting;
using Orchestra.Server.Templates;

namespace Orchestra.Server.Api;

/// <summary>The <c>/api/templates</c> endpoints: compile a template on the server without deploying it.</summary>
internal static class TemplateEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/templates").WithTags("Templates");

        group.MapPost("/plan", PlanAsync)
            .Accepts<SubmitDeploymentRequest>("application/json")
            .WithName("PlanTemplate")
            .WithSummary("Compiles a template (same body as a submit) and returns its plan and warnings; deploys nothing.")
            .Produces<TemplatePlanResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> PlanAsync(
        HttpRequest request, OrchestraNodeService service, TemplateDirectoryPolicy policy, CancellationToken ct)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync<SubmitDeploymentRequest>(request, required: true, ct).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }

        var (source, sourceError) = TemplateRequests.ResolveSource(body, policy);
        if (source is null)
        {
            return sourceError!;
        }

        var (_, failureError) = TemplateRequests.ParseOnFailure(body.OnFailure);
        if (failureError is not null)
        {
            return failureError;
        }

        var compilation = service.Node.Templates.Compile(source, body.Inputs ?? []);
        if (compilation.Plan is not { } plan)
        {
            return Problems.InvalidTemplate(compilation.Diagnostics);
        }

        return Results.Ok(new TemplatePlanResponse(plan, [.. compilation.Diagnostics.Select(ApiDiagnostic.From)]));
    }
}
