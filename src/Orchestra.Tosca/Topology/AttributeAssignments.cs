using Orchestra.Tosca.Parsing;

namespace Orchestra.Tosca.Topology;

/// <summary>
/// Attribute assignments in TOSCA 1.3's extended notation (3.6.12.2): <c>name: { description: ..., value: ... }</c> stands for
/// <c>name: value</c>.
/// </summary>
internal static class AttributeAssignments
{
    /// <summary>The assignments with every extended-notation entry replaced by its <c>value</c>; the same map when there is none.</summary>
    public static YMapping? Normalize(YMapping? attributes)
    {
        if (attributes is null || !attributes.Entries.Any(static e => IsExtended(e.Value)))
        {
            return attributes;
        }

        var normalized = new YMapping(attributes.Location);
        foreach (var (key, value) in attributes.Entries)
        {
            normalized.TryAdd(key, IsExtended(value) ? ((YMapping)value)["value"]! : value);
        }

        return normalized;
    }

    // Only a map of exactly these keys, 'value' among them: a map-typed attribute's own value keeps other keys.
    private static bool IsExtended(YNode value) =>
        value is YMapping { Count: 1 or 2 } map && map.ContainsKey("value") && map.Keys.All(static k => k is "value" or "description");
}
