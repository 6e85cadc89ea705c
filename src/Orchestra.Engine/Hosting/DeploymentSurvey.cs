using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Hosting;

/// <summary>Every deployment in the store: the readable ones summarized, the unreadable ones named with why (see <see cref="DeploymentsHost.SurveyAsync"/>).</summary>
/// <param name="Deployments">The summaries of the deployments that could be read.</param>
/// <param name="Unreadable">One exception per deployment that exists but cannot be read (a corrupt or unknown event), saying which and why.</param>
public sealed record DeploymentSurvey(IReadOnlyList<DeploymentSummary> Deployments, IReadOnlyList<DeploymentUnavailableException> Unreadable);
