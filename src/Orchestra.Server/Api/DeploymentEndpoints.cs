using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestra.Application.Api;
using Orchestra.Application.Leases;
using Orchestra.Application.Nodes;
using Orchestra.Application.Templates;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Server.Hosting;
using Orchestra.Server.Templates;

namespace Orchestra.Server.Api;

/// <summary>The <c>/api/deployments</c> endpoints.</summary>
internal static class DeploymentEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/deployments").WithTags("Deployments");

        group.MapPost("/", SubmitAsync)
            .Accepts<SubmitDeploymentRequest>("application/json")
            .WithName("SubmitDeployment")
            .WithSummary("Submits a deployment of a template (idempotent for the same id, template and inputs).")
            .Produces<DeploymentView>(StatusCodes.Status201Created)
            .Produces<DeploymentView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/", ListAsync)
            .WithName("ListDeployments")
            .WithSummary("Lists deployments, optionally only those with a given status.")
            .Produces<IReadOnlyList<DeploymentSummary>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", GetAsync)
            .WithName("GetDeployment").WithSummary("The state of a deployment's latest run (or of ?run=N): every node and task.")
            .Produces<DeploymentView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteDeployment")
            .WithSummary("Forgets a deployment whose latest run has ended (Undeployed, or Cancelled or RolledBack with no node left deployed): every run's records are removed.")
            .Produces<DeletedDeployment>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{id}/plan", GetPlanAsync)
            .WithName("GetDeploymentPlan").WithSummary("The plan the deployment runs (the compiled graph).")
            .Produces<DeploymentPlan>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/history", GetHistoryAsync)
            .WithName("GetDeploymentHistory").WithSummary("Every journaled event of the deployment's latest run (or of ?run=N), oldest first.")
            .Produces<IReadOnlyList<HistoryItem>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/outputs", GetOutputsAsync)
            .WithName("GetDeploymentOutputs").WithSummary("The outputs of the deployment's latest run (or of ?run=N), evaluated over what has run so far.")
            .Produces<IReadOnlyDictionary<string, object>>().ProducesProblem(StatusCodes.Status404NotFound);

        foreach (var action in Enum.GetValues<DeploymentAction>())
        {
            var name = action.ToString().ToLowerInvariant();
            group.MapPost("/{id}/" + name, (string id, HttpRequest request, OrchestraNodeService service, CancellationToken ct) =>
                    ActAsync(id, action, request, service, ct))
                .WithName(action + "Deployment")
                .WithSummary(ActionSummary(action))
                .Accepts<ActionRequest>(isOptional: true, "application/json")
                .Produces<DeploymentView>()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
    }

    private static string ActionSummary(DeploymentAction action) => action switch
    {
        DeploymentAction.Cancel => "Cancels the deployment: running operations are killed; nothing new starts.",
        DeploymentAction.Pause => "Pauses the deployment: running operations finish; nothing new starts.",
        DeploymentAction.Resume => "Resumes a paused deployment.",
        DeploymentAction.Retry => "Retries the failed operations of a halted deployment.",
        _ => "Undeploys the deployment: runs the teardown operations in reverse dependency order.",
    };

    private static async Task<IResult> SubmitAsync(
        HttpRequest request, OrchestraNodeService service, TemplateDirectoryPolicy policy, CancellationToken ct)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync<SubmitDeploymentRequest>(request, required: true, ct).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }

        if (!string.IsNullOrWhiteSpace(body.Id) && !DeploymentNames.IsValid(body.Id))
        {
            return Problems.InvalidRequest(DeploymentNames.InvalidMessage(body.Id));
        }

        var (source, sourceError) = TemplateRequests.ResolveSource(body, policy);
        if (source is null)
        {
            return sourceError!;
        }

        var id = string.IsNullOrWhiteSpace(body.Id) ? source.DefaultDeploymentName() : body.Id;
        if (body.Template is not null && string.IsNullOrWhiteSpace(body.Id))
        {
            return Problems.InvalidRequest("With inline 'template' text, 'id' is required.");
        }

        if (!DeploymentNames.IsValid(id))
        {
            return Problems.InvalidRequest(DeploymentNames.InvalidMessage(id));
        }

        var (onFailure, failureError) = TemplateRequests.ParseOnFailure(body.OnFailure);
        if (failureError is not null)
        {
            return failureError;
        }

        var node = service.Node;
        try
        {
            var outcome = await node.SubmitAsync(id, source, body.Inputs ?? [], onFailure, ct).ConfigureAwait(false);
            return outcome.Created
                ? Results.Created($"/api/deployments/{Uri.EscapeDataString(id)}", outcome.View)
                : Results.Ok(outcome.View);
        }
        catch (TemplateInvalidException e)
        {
            return Problems.InvalidTemplate(e.Diagnostics);
        }
        catch (DeploymentCommandRejectedException e)
        {
            return Problems.Conflict(id, e.Message);
        }
        catch (PlanValidationException e) when (e.Errors.Any(error => error.Kind == PlanErrorKind.TooLarge))
        {
            return Problems.TooLarge(e.Message);
        }
        catch (PlanValidationException e)
        {
            return Problems.InvalidRequest(e.Message);
        }
        catch (DeploymentLeaseHeldException e)
        {
            return Problems.InvalidState(id, "Leased", e.Message);
        }
    }

    private static async Task<IResult> ListAsync(string? status, OrchestraNodeService service, CancellationToken ct)
    {
        DeploymentStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<DeploymentStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.InvalidRequest($"Unknown status '{status}'; one of: {string.Join(", ", Enum.GetNames<DeploymentStatus>())}.");
            }

            filter = parsed;
        }

        var all = await service.Node.Deployments.ListAsync(ct).ConfigureAwait(false);
        return Results.Ok(filter is { } f ? all.Where(d => d.Status == f).ToArray() : all);
    }

    private static async Task<IResult> GetAsync(string id, string? run, OrchestraNodeService service, CancellationToken ct)
    {
        var (view, problem) = await ViewAsync(id, run, service, ct).ConfigureAwait(false);
        return problem ?? Results.Ok(view);
    }

    // The latest run, or the one ?run=N names; a problem when the query is malformed or names no run.
    private static async Task<(DeploymentView? View, IResult? Problem)> ViewAsync(string id, string? run, OrchestraNodeService service, CancellationToken ct)
    {
        if (run is null)
        {
            return await service.Node.Deployments.GetAsync(id, ct).ConfigureAwait(false) is { } latest ? (latest, null) : (null, Problems.NotFound(id, service.Store));
        }

        if (!int.TryParse(run, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return (null, Problems.InvalidRequest($"'run' must be a run number from 1, not '{run}'."));
        }

        if (await service.Node.Deployments.GetRunAsync(id, number, ct).ConfigureAwait(false) is { } view)
        {
            return (view, null);
        }

        return await service.Node.Deployments.GetAsync(id, ct).ConfigureAwait(false) is { } current
            ? (null, Problems.RunNotFound(id, number, current.Run))
            : (null, Problems.NotFound(id, service.Store));
    }

    private static async Task<IResult> DeleteAsync(string id, OrchestraNodeService service, CancellationToken ct)
    {
        try
        {
            return Results.Ok(new DeletedDeployment(id, await service.Node.DeleteAsync(id, ct).ConfigureAwait(false)));
        }
        catch (DeploymentNotFoundException)
        {
            return Problems.NotFound(id, service.Store);
        }
        catch (DeploymentCommandRejectedException e)
        {
            return Problems.InvalidState(id, e.Status.ToString(), e.Message);
        }
        catch (DeploymentLeaseHeldException e)
        {
            return Problems.InvalidState(id, "Leased", e.Message);
        }
    }

    private static async Task<IResult> GetPlanAsync(string id, OrchestraNodeService service, CancellationToken ct) =>
        await service.Node.GetPlanAsync(id, ct).ConfigureAwait(false) is { } plan ? Results.Ok(plan) : Problems.NotFound(id, service.Store);

    private static async Task<IResult> GetHistoryAsync(string id, string? run, OrchestraNodeService service, CancellationToken ct)
    {
        var (view, problem) = await ViewAsync(id, run, service, ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var history = await service.Node.Deployments.GetRunHistoryAsync(id, view!.Run, ct).ConfigureAwait(false);
        return history.Count == 0 ? Problems.NotFound(id, service.Store) : Results.Ok(history.Select(HistoryItem.From).ToArray());
    }

    private static async Task<IResult> GetOutputsAsync(string id, string? run, OrchestraNodeService service, CancellationToken ct)
    {
        var (view, problem) = await ViewAsync(id, run, service, ct).ConfigureAwait(false);
        return problem ?? Results.Ok(view!.Outputs);
    }

    private static async Task<IResult> ActAsync(string id, DeploymentAction action, HttpRequest request, OrchestraNodeService service, CancellationToken ct)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync<ActionRequest>(request, required: false, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var reason = body?.Reason;

        try
        {
            return Results.Ok(await service.Node.ActAsync(id, action, reason, ct).ConfigureAwait(false));
        }
        catch (DeploymentNotFoundException)
        {
            return Problems.NotFound(id, service.Store);
        }
        catch (DeploymentCommandRejectedException e)
        {
            return Problems.InvalidState(id, e.Status.ToString(), e.Message);
        }
        catch (DeploymentLeaseHeldException e)
        {
            return Problems.InvalidState(id, "Leased", e.Message);
        }
    }
}
