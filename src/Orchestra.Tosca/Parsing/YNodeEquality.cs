namespace Orchestra.Tosca.Parsing;

/// <summary>Whether two YAML trees say the same thing: the same scalars, maps (order of keys aside) and lists, wherever they were written.</summary>
internal static class YNodeEquality
{
    // Trees are bounded by ToscaCompilerOptions.MaxDepth; aliases share nodes, so a node met twice is compared once per pair.
    public static bool SameContent(YNode a, YNode b) => Same(a, b, []);

    private static bool Same(YNode a, YNode b, HashSet<(YNode, YNode)> compared)
    {
        if (ReferenceEquals(a, b) || !compared.Add((a, b)))
        {
            return true;
        }

        switch (a, b)
        {
            case (YScalar x, YScalar y):
                return x.Kind == y.Kind && string.Equals(x.Text, y.Text, StringComparison.Ordinal);
            case (YSequence x, YSequence y):
                return x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => Same(p.First, p.Second, compared));
            case (YMapping x, YMapping y):
                return x.Count == y.Count && x.Entries.All(e => y[e.Key.Text] is { } other && Same(e.Value, other, compared));
            default:
                return false;
        }
    }
}
