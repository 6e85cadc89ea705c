using Orchestra.Tosca.Topology;

namespace Orchestra.Tosca.Functions;

/// <summary>Where a value is evaluated: what SELF, SOURCE and TARGET mean there.</summary>
/// <param name="Self">The node template that owns the value (null in outputs).</param>
/// <param name="Source">In a relationship operation: the source node.</param>
/// <param name="Target">In a relationship operation: the target node.</param>
/// <param name="Relationship">In a relationship operation: the requirement that made the relationship (SELF's properties).</param>
/// <param name="InOutputs">Whether the value is a topology output (SELF and HOST are not allowed there).</param>
internal sealed record EvaluationContext(
    NodeTemplate? Self,
    NodeTemplate? Source = null,
    NodeTemplate? Target = null,
    RequirementAssignment? Relationship = null,
    bool InOutputs = false)
{
    public static EvaluationContext Outputs { get; } = new(null, InOutputs: true);

    public string Describe() => InOutputs ? "the outputs" : Self is null ? "the topology" : $"node template '{Self.Name}'";
}
