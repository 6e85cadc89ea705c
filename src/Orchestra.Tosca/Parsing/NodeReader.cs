using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Parsing;

/// <summary>Shape checks over <see cref="YNode"/> trees that report located diagnostics.</summary>
internal static class NodeReader
{
    public static YMapping? Mapping(YNode? node, DiagnosticBag diagnostics, string what, bool allowNull = true)
    {
        switch (node)
        {
            case null:
                return null;
            case YMapping m:
                return m;
            case YScalar { IsNull: true } when allowNull:
                return null;
            default:
                diagnostics.Error(ErrorCodes.WrongShape, node.Location, $"{what} must be a map, not {node.Describe()}");
                return null;
        }
    }

    public static YSequence? Sequence(YNode? node, DiagnosticBag diagnostics, string what)
    {
        switch (node)
        {
            case null or YScalar { IsNull: true }:
                return null;
            case YSequence s:
                return s;
            default:
                diagnostics.Error(ErrorCodes.WrongShape, node.Location, $"{what} must be a list, not {node.Describe()}");
                return null;
        }
    }

    public static string? String(YNode? node, DiagnosticBag diagnostics, string what)
    {
        switch (node)
        {
            case null or YScalar { IsNull: true }:
                return null;
            case YScalar s:
                return s.Text;
            default:
                diagnostics.Error(ErrorCodes.WrongShape, node.Location, $"{what} must be a string, not {node.Describe()}");
                return null;
        }
    }

    /// <summary>The text of a scalar, or null; what else the value may be is <see cref="Validation.KeynameChecker"/>'s to report.</summary>
    public static string? Text(YNode? node) => node is YScalar { IsNull: false } s ? s.Text : null;

    public static bool? Boolean(YNode? node, DiagnosticBag diagnostics, string what)
    {
        switch (node)
        {
            case null or YScalar { IsNull: true }:
                return null;
            case YScalar { Kind: ScalarKind.Boolean } s:
                return s.BooleanValue;
            case YScalar { IsYaml11Boolean: true } s:
                s.ReadAsYaml11Boolean();
                diagnostics.Warning(ErrorCodes.TypeMismatch, s.Location, Yaml11BooleanWarning(what, s));
                return s.BooleanValue;
            default:
                diagnostics.Error(ErrorCodes.WrongShape, node.Location, $"{what} must be true or false, not {node.Describe()}");
                return null;
        }
    }

    /// <summary>The warning for a YAML 1.1 boolean read as one (<see cref="YScalar.ReadAsYaml11Boolean"/>).</summary>
    public static string Yaml11BooleanWarning(string what, YScalar value) =>
        $"{what}: '{value.Text}' is a boolean in YAML 1.1 (PyYAML, tosca-parser) but text in YAML 1.2; it is read as {(value.BooleanValue ? "true" : "false")} " +
        $"(write {(value.BooleanValue ? "true" : "false")} to silence this)";

    public static List<string> StringList(YNode? node, DiagnosticBag diagnostics, string what)
    {
        if (node is YScalar { IsNull: false } single)
        {
            return [single.Text];
        }

        var list = new List<string>();
        foreach (var item in Sequence(node, diagnostics, what)?.Items ?? [])
        {
            if (String(item, diagnostics, $"an entry of {what}") is { } s)
            {
                list.Add(s);
            }
        }

        return list;
    }

    /// <summary>Reports keys that are not in <paramref name="allowed"/>, suggesting the closest one.</summary>
    public static void CheckKeys(YMapping mapping, IReadOnlyCollection<string> allowed, DiagnosticBag diagnostics, string context, bool warningOnly = false)
    {
        foreach (var (key, _) in mapping.Entries)
        {
            if (!allowed.Contains(key.Text))
            {
                var message = $"{context} contains unknown key '{key.Text}'; expected one of: {string.Join(", ", allowed)}";
                var suggestion = Suggestions.DidYouMean(key.Text, allowed);
                if (warningOnly)
                {
                    diagnostics.Warning(ErrorCodes.UnknownKey, key.Location, message, suggestion);
                }
                else
                {
                    diagnostics.Error(ErrorCodes.UnknownKey, key.Location, message, suggestion);
                }
            }
        }
    }

    /// <summary>
    /// Entries of a list of single-key maps (requirements, 1.0 policies, imports with names), or of a map.
    /// Entries that are not single-key maps are reported.
    /// </summary>
    public static IEnumerable<(YScalar Key, YNode Value)> NamedEntries(YNode? node, DiagnosticBag diagnostics, string what)
    {
        switch (node)
        {
            case YMapping m:
                foreach (var (k, v) in m.Entries)
                {
                    yield return (k, v);
                }

                break;
            case YSequence s:
                foreach (var item in s.Items)
                {
                    if (item is YMapping { Count: 1 } single)
                    {
                        var (k, v) = single.Entries[0];
                        yield return (k, v);
                    }
                    else
                    {
                        diagnostics.Error(ErrorCodes.WrongShape, item.Location, $"each entry of {what} must be a map with a single key (the name), not {item.Describe()}");
                    }
                }

                break;
            case null or YScalar { IsNull: true }:
                break;
            default:
                diagnostics.Error(ErrorCodes.WrongShape, node.Location, $"{what} must be a list or a map, not {node.Describe()}");
                break;
        }
    }
}
