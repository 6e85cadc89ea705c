using Microsoft.AspNetCore.Http;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Server.Api;

/// <summary>Builds the RFC 7807 problem responses of the API.</summary>
internal static class Problems
{
    public static IResult InvalidRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: detail, type: ProblemTypes.InvalidRequest);

    public static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deployment not found",
            detail: $"There is no deployment '{id}'.", type: ProblemTypes.DeploymentNotFound,
            extensions: new Dictionary<string, object?> { ["deploymentId"] = id });

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

    public static IResult TemplateNotFound(string path) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Template not found",
            detail: $"There is no template file '{path}' on the server.", type: ProblemTypes.TemplateNotFound);

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

/// <summary>A template diagnostic in the <c>errors</c> extension of an invalid-template problem.</summary>
/// <param name="Code">The stable code, e.g. <c>TOS301</c>.</param>
/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="File">The file.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
/// <param name="Suggestion">A likely fix, if any.</param>
public sealed record ApiDiagnostic(string Code, string Severity, string Message, string File, int Line, int Column, string? Suggestion)
{
    /// <summary>Converts a compiler diagnostic.</summary>
    /// <param name="diagnostic">The diagnostic.</param>
    /// <returns>Its API form.</returns>
    public static ApiDiagnostic From(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new(diagnostic.Code, diagnostic.IsError ? "error" : "warning", diagnostic.Message,
            diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column, diagnostic.Suggestion);
    }

    /// <summary>Whether it is an error (not a warning).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsError => string.Equals(Severity, "error", StringComparison.Ordinal);

    /// <summary>The compiler form: <c>FILE:LINE:COL: error CODE: message</c>, then the suggestion in parentheses, if any.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {Severity} {Code}: {Message}{(Suggestion is null ? string.Empty : $" ({Suggestion})")}";
}
