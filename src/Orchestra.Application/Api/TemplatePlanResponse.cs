using Orchestra.Engine.Plans;

namespace Orchestra.Application.Api;

/// <summary>The answer of <c>POST /api/templates/plan</c>: the compiled plan and the warnings found on the way.</summary>
/// <param name="Plan">The plan a deployment of the template would run.</param>
/// <param name="Diagnostics">The warnings (a template with errors is answered 422 instead).</param>
public sealed record TemplatePlanResponse(DeploymentPlan Plan, IReadOnlyList<ApiDiagnostic> Diagnostics);
