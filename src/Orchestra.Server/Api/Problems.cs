using Microsoft.AspNetCore.Http;
using Orchestra.Application.Api;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Server.Api;

/// <summary>Builds the RFC 7807 problem responses of the API.</summary>
internal static class Problems
{
    public static IResult InvalidRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: detail, type: ProblemTypes.InvalidRequest);

    // The store is named (never a password: StoreOptions.Describe), so a client pointed at the wrong server or store sees it.
    public static IResult NotFound(string id, string store) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deployment not found",
            detail: $"There is no deployment '{id}' in {store}.", type: ProblemTypes.DeploymentNotFound,
            extensions: new Dictionary<string, object?> { ["deploymentId"] = id });

    public static IResult RunNotFound(string id, int run, int latest) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deployment run not found",
            detail: $"Deployment '{id}' has no run {run} (its latest is run {latest}).", type: ProblemTypes.DeploymentNotFound,
            extensions: new Dictionary<string, object?> { ["deploymentId"] = id, ["run"] = run, ["latestRun"] = latest });

    public static IResult InvalidState(string id, string status, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible in the deployment's current status",
            detail: detail, type: ProblemTypes.InvalidState,
            extensions: new Dictionary<string, object?> { ["deploymentId"] = id, ["deploymentStatus"] = status });

    public static IResult Conflict(string id, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Deployment id already in use",
            detail: detail, type: ProblemTypes.DeploymentConflict,
            extensions: new Dictionary<string, object?> { ["deploymentId"] = id });

    public static IResult TooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large to store", detail: detail, type: ProblemTypes.PayloadTooLarge);

    public static IResult TemplateNotAllowed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Template directory not allowed",
            detail: detail, type: ProblemTypes.TemplateNotAllowed);

    public static IResult TemplateNotFound(string path, bool isDirectory = false) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Template not found",
            detail: isDirectory ? $"'{path}' is a directory on the server, not a template file." : $"There is no template file '{path}' on the server.",
            type: ProblemTypes.TemplateNotFound);

    public static IResult InvalidTemplate(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Select(ApiDiagnostic.From).ToArray();
        var count = errors.Count(e => e.Severity == "error");
        return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid template",
            detail: $"The template has {count} error{(count == 1 ? string.Empty : "s")}; see 'errors' for their positions.",
            type: ProblemTypes.InvalidTemplate,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }
}
