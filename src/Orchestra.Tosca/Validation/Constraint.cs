using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;

namespace Orchestra.Tosca.Validation;

/// <summary>One constraint clause (<c>greater_than: 5</c>), checked by <see cref="ValueValidator"/>.</summary>
internal sealed record Constraint(string Operator, YNode Argument, SourceLocation Location)
{
    public static readonly IReadOnlyList<string> Operators =
    [
        "equal", "greater_than", "greater_or_equal", "less_than", "less_or_equal", "in_range",
        "valid_values", "length", "min_length", "max_length", "pattern", "schema",
    ];

    public override string ToString() => $"{Operator}: {Render(Argument)}";

    public static string Render(YNode node) => node switch
    {
        YScalar s => s.Text,
        YSequence q => "[" + string.Join(", ", q.Items.Select(Render)) + "]",
        YMapping m => "{" + string.Join(", ", m.Entries.Select(e => $"{e.Key.Text}: {Render(e.Value)}")) + "}",
        _ => string.Empty,
    };
}
