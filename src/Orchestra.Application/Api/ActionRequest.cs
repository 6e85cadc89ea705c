namespace Orchestra.Application.Api;

/// <summary>The optional body of <c>POST /api/deployments/{id}/cancel</c> and <c>/pause</c>.</summary>
public sealed class ActionRequest
{
    /// <summary>Why, recorded in the deployment's history.</summary>
    public string? Reason { get; set; }
}
