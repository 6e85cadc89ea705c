using Orchestra.Engine.Deployments;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Application.Nodes;

/// <summary>The result of submitting a template.</summary>
/// <param name="View">The deployment right after submission.</param>
/// <param name="Created">Whether it is new (<see langword="false"/>: the same template and inputs were already submitted under that name).</param>
/// <param name="Warnings">The template's warnings.</param>
public sealed record SubmitOutcome(DeploymentView View, bool Created, IReadOnlyList<Diagnostic> Warnings);
