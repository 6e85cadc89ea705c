using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca;

/// <summary>The outcome of compiling a service template: the plan when it can deploy, and every diagnostic.</summary>
/// <param name="Plan">The deployment plan; <see langword="null"/> when there is any error.</param>
/// <param name="Diagnostics">Every error and warning, errors first, each in file and position order.</param>
/// <param name="Template">A summary of the template (inputs, node templates); <see langword="null"/> when the file could not be read as TOSCA at all.</param>
public sealed record CompilationResult(DeploymentPlan? Plan, IReadOnlyList<Diagnostic> Diagnostics, ServiceTemplate? Template)
{
    /// <summary>Whether the template will deploy: no errors (warnings allowed) and a plan.</summary>
    public bool Success => Plan is not null && !Diagnostics.Any(static d => d.IsError);

    /// <summary>The errors only.</summary>
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(static d => d.IsError);

    /// <summary>The declared inputs (empty when the template could not be read).</summary>
    public IReadOnlyList<InputDefinition> Inputs => Template?.Inputs ?? [];
}
