using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;

namespace Orchestra.Tosca.Functions;

/// <summary>A TOSCA intrinsic function call as written: <c>{ get_property: [ SELF, port ] }</c>.</summary>
internal sealed record FunctionCall(string Name, IReadOnlyList<YNode> Arguments, SourceLocation Location, YNode Node)
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "get_input", "get_property", "get_attribute", "get_operation_output", "concat", "join", "token", "get_nodes_of_type", "get_artifact",
    };

    /// <summary>Recognizes a function call: a map with exactly one key that is a function name.</summary>
    public static FunctionCall? TryParse(YNode? node)
    {
        if (node is not YMapping { Count: 1 } mapping)
        {
            return null;
        }

        var (key, value) = mapping.Entries[0];
        if (!Names.Contains(key.Text))
        {
            return null;
        }

        IReadOnlyList<YNode> arguments = value switch
        {
            YSequence s => s.Items,
            YScalar { IsNull: true } => [],
            _ => [value],
        };
        return new FunctionCall(key.Text, arguments, key.Location, node);
    }

    public static bool IsFunction(YNode? node) => TryParse(node) is not null;

    public override string ToString() => $"{Name}: [ {string.Join(", ", Arguments.Select(Validation.Constraint.Render))} ]";
}
