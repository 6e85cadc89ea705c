namespace Orchestra.Engine.Plans;

/// <summary>A value the deployment reports when it completes (a TOSCA topology output).</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Value">The value, usually referring to node outputs.</param>
/// <param name="Description">A human-readable description, for display.</param>
public sealed record PlanOutput(string Name, PlanValue Value, string? Description = null);
