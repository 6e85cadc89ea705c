using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Deployments;

/// <summary>Per-deployment choices made when a plan is submitted; journaled with it.</summary>
/// <param name="FailureAction">
/// Overrides the plan's (and every node's) failure action for this deployment, e.g. from <c>orchestra deploy --on-failure rollback</c>;
/// <see langword="null"/> keeps what the plan says.
/// </param>
/// <param name="Inputs">
/// The inputs the plan was compiled with (e.g. TOSCA topology inputs), kept for display and history only:
/// the plan already contains their values.
/// </param>
/// <param name="Labels">Free-form labels for display and filtering (who submitted, from which template, ...).</param>
public sealed record SubmitOptions(
    FailureAction? FailureAction = null,
    IReadOnlyDictionary<string, string>? Inputs = null,
    IReadOnlyDictionary<string, string>? Labels = null)
{
    /// <summary>No overrides.</summary>
    public static SubmitOptions Default { get; } = new();
}
