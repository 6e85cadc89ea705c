namespace Orchestra.Application.Api;

/// <summary>The <c>type</c> URIs of the RFC 7807 problem documents the API returns, one per kind of error.</summary>
public static class ProblemTypes
{
    /// <summary>The request lacks the bearer token (401).</summary>
    public const string Unauthorized = "urn:orchestra:problem:unauthorized";

    /// <summary>The request names a host (its <c>Host</c> header) that this server does not answer to, as in DNS rebinding (421).</summary>
    public const string HostNotAllowed = "urn:orchestra:problem:host-not-allowed";

    /// <summary>An unsafe request authenticated by the session cookie alone does not come from this server's origin (403).</summary>
    public const string CrossOriginRefused = "urn:orchestra:problem:cross-origin-refused";

    /// <summary>The sign-in code is unknown, already used or expired (401).</summary>
    public const string SignInCodeInvalid = "urn:orchestra:problem:signin-code-invalid";

    /// <summary>The server has not finished checking the addresses it listens on (503).</summary>
    public const string Starting = "urn:orchestra:problem:starting";

    /// <summary>The request body or a parameter is malformed or incomplete (400).</summary>
    public const string InvalidRequest = "urn:orchestra:problem:invalid-request";

    /// <summary>The template has errors; the <c>errors</c> extension lists them with their positions (422).</summary>
    public const string InvalidTemplate = "urn:orchestra:problem:invalid-template";

    /// <summary>The template path (or base directory) is outside the allowed template directories (403).</summary>
    public const string TemplateNotAllowed = "urn:orchestra:problem:template-not-allowed";

    /// <summary>The template file does not exist (404 on submit is wrong; this is 400 with this type).</summary>
    public const string TemplateNotFound = "urn:orchestra:problem:template-not-found";

    /// <summary>No deployment has that id (404).</summary>
    public const string DeploymentNotFound = "urn:orchestra:problem:deployment-not-found";

    /// <summary>The node, operation or attempt a logs query names does not exist in the deployment; the detail names those that do (404).</summary>
    public const string SelectionNotFound = "urn:orchestra:problem:selection-not-found";

    /// <summary>The deployment's actor stopped instead of answering: its journal cannot be replayed, a write failed, or its lease moved (503).</summary>
    public const string DeploymentUnavailable = "urn:orchestra:problem:deployment-unavailable";

    /// <summary>
    /// The store failed (a file lost while open, corrupt, read-only or full, an I/O error): the node reads what it can and
    /// writes nothing until the store is repaired and the node restarted (503). The problem's <c>fault</c> names the kind.
    /// </summary>
    public const string StoreUnavailable = "urn:orchestra:problem:store-unavailable";

    /// <summary>The id is taken by a deployment of a different template or inputs (409).</summary>
    public const string DeploymentConflict = "urn:orchestra:problem:deployment-conflict";

    /// <summary>The action is not possible in the deployment's current status (409).</summary>
    public const string InvalidState = "urn:orchestra:problem:invalid-state";

    /// <summary>The request body is larger than allowed (413).</summary>
    public const string PayloadTooLarge = "urn:orchestra:problem:payload-too-large";

    /// <summary>An unexpected server error (500).</summary>
    public const string Internal = "urn:orchestra:problem:internal";

    /// <summary>No endpoint has that path (404); a missing deployment is <see cref="DeploymentNotFound"/>.</summary>
    public const string NotFound = "urn:orchestra:problem:not-found";

    /// <summary>The path exists, but not with that method (405); the <c>Allow</c> header lists those it has.</summary>
    public const string MethodNotAllowed = "urn:orchestra:problem:method-not-allowed";
}
