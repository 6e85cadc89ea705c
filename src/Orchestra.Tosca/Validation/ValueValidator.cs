using System.Globalization;
using System.Text.RegularExpressions;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Validation;

/// <summary>Checks values against TOSCA types and constraints, recursively through lists, maps and data types.</summary>
/// <param name="registry">The types.</param>
/// <param name="diagnostics">Where problems go.</param>
/// <param name="resolveInput">Returns the value of an input for <c>get_input</c> (so that inputs are checked where they are used), or null.</param>
internal sealed partial class ValueValidator(TypeRegistry registry, DiagnosticBag diagnostics, Func<FunctionCall, YNode?>? resolveInput = null)
{
    private const int MaxNesting = 64;

    private static readonly HashSet<string> Yaml11Booleans = new(StringComparer.OrdinalIgnoreCase) { "yes", "no", "on", "off", "y", "n" };

    /// <summary>Checks a map of assigned values against definitions: unknown names, required ones, types.</summary>
    public void CheckAssignments(YMapping? assigned, IReadOnlyDictionary<string, PropertyDefinition> definitions, string owner, SourceLocation ownerLocation, string kind, bool checkRequired)
    {
        foreach (var (key, value) in assigned?.Entries ?? [])
        {
            if (!definitions.TryGetValue(key.Text, out var definition))
            {
                diagnostics.Error(ErrorCodes.UnknownProperty, key.Location,
                    $"{owner} assigns {kind} '{key.Text}', which its type does not define" + (definitions.Count > 0 ? $"; defined: {string.Join(", ", definitions.Keys)}" : string.Empty),
                    Suggestions.DidYouMean(key.Text, definitions.Keys));
                continue;
            }

            Check(value, definition.Schema, $"{kind} '{key.Text}' of {owner}");
        }

        if (!checkRequired)
        {
            return;
        }

        foreach (var (name, definition) in definitions)
        {
            if (definition.Required && definition.Default is null or YScalar { IsNull: true } && assigned?.ContainsKey(name) != true)
            {
                diagnostics.Error(ErrorCodes.MissingRequiredProperty, ownerLocation, $"{owner} is missing required {kind} '{name}' (of type {definition.Type})");
            }
        }

        // Defaults are checked too: a type can declare a default that breaks its own constraints.
    }

    /// <summary>Checks one value against a schema.</summary>
    public void Check(YNode value, Schema schema, string what, int depth = 0, SourceLocation? at = null)
    {
        if (depth > MaxNesting)
        {
            return;
        }

        if (FunctionCall.TryParse(value) is { } call)
        {
            if (call.Name == "get_input" && resolveInput?.Invoke(call) is { } resolved && !FunctionCall.IsFunction(resolved))
            {
                Check(resolved, schema, $"{what} (from get_input {Constraint.Render(call.Arguments.FirstOrDefault() ?? value)})", depth + 1, at ?? call.Location);
            }

            return;
        }

        var location = at ?? value.Location;
        var type = schema.Type;
        if (type == "any")
        {
            return;
        }

        var primitive = registry.PrimitiveBase(type);
        var dataType = TypeRegistry.IsPrimitive(type) ? null : registry.Find(TypeKind.Data, type);
        if (primitive is null && dataType is null)
        {
            IsKnownType(schema, what);
            return;
        }

        if (primitive is null)
        {
            CheckComplex(value, dataType!, what, depth, location);
        }
        else if (!CheckPrimitive(value, primitive, schema, dataType, what, depth, location))
        {
            return;
        }

        foreach (var constraint in schema.Constraints)
        {
            CheckConstraint(value, primitive, constraint, what, location);
        }

        for (var t = dataType; t is not null; t = t.Parent)
        {
            foreach (var constraint in t.Constraints)
            {
                CheckConstraint(value, primitive, constraint, what, location);
            }
        }
    }

    private bool CheckPrimitive(YNode value, string primitive, Schema schema, ToscaType? dataType, string what, int depth, SourceLocation location)
    {
        switch (primitive)
        {
            case "list":
                if (value is not YSequence list)
                {
                    return Mismatch(value, "a list", what, location);
                }

                var entry = schema.EntrySchema ?? EntrySchemaOf(dataType);
                if (entry is not null)
                {
                    for (var i = 0; i < list.Items.Count; i++)
                    {
                        Check(list.Items[i], entry, $"entry {i} of {what}", depth + 1, location == value.Location ? null : location);
                    }
                }

                return true;
            case "map":
                if (value is not YMapping map)
                {
                    return Mismatch(value, "a map", what, location);
                }

                var entrySchema = schema.EntrySchema ?? EntrySchemaOf(dataType);
                foreach (var (k, v) in map.Entries)
                {
                    if (schema.KeySchema is { } keySchema)
                    {
                        Check(k, keySchema, $"key '{k.Text}' of {what}", depth + 1);
                    }

                    if (entrySchema is not null)
                    {
                        Check(v, entrySchema, $"entry '{k.Text}' of {what}", depth + 1, location == value.Location ? null : location);
                    }
                }

                return true;
        }

        if (primitive == "range")
        {
            if (TryParseScalar(value, "range", out _, out var rangeProblem))
            {
                return true;
            }

            diagnostics.Error(ErrorCodes.TypeMismatch, location, $"{what}: {rangeProblem}");
            return false;
        }

        if (value is not YScalar scalar)
        {
            return Mismatch(value, Expected(primitive), what, location);
        }

        if (primitive == "boolean" && scalar.IsYaml11Boolean)
        {
            scalar.ReadAsYaml11Boolean();
            diagnostics.Warning(ErrorCodes.TypeMismatch, location, NodeReader.Yaml11BooleanWarning(what, scalar));
            return true;
        }

        if (TryParseScalar(scalar, primitive, out _, out var problem))
        {
            return true;
        }

        if (primitive == "integer" && scalar.IsPlain && Yaml11Booleans.Contains(scalar.Text))
        {
            // YAML 1.1 tools (PyYAML, so tosca-parser) read "yes" as a boolean and booleans as integers.
            diagnostics.Warning(ErrorCodes.TypeMismatch, location, $"{what}: {scalar.Describe()} is a YAML 1.1 boolean, not an integer; write 1 or 0");
            return false;
        }

        diagnostics.Error(ErrorCodes.TypeMismatch, location, $"{what}: {problem}");
        return false;
    }

    private void CheckComplex(YNode value, ToscaType dataType, string what, int depth, SourceLocation location)
    {
        if (value is not YMapping map)
        {
            Mismatch(value, $"a map (data type {dataType.Name})", what, location);
            return;
        }

        var properties = registry.AllProperties(dataType);
        foreach (var (key, v) in map.Entries)
        {
            if (!properties.TryGetValue(key.Text, out var definition))
            {
                diagnostics.Error(ErrorCodes.UnknownProperty, key.Location,
                    $"{what}: data type '{dataType.Name}' has no property '{key.Text}'; it has: {string.Join(", ", properties.Keys)}",
                    Suggestions.DidYouMean(key.Text, properties.Keys));
                continue;
            }

            Check(v, definition.Schema, $"property '{key.Text}' of {what}", depth + 1, location == value.Location ? null : location);
        }

        foreach (var (name, definition) in properties)
        {
            if (definition.Required && definition.Default is null && !map.ContainsKey(name))
            {
                diagnostics.Error(ErrorCodes.MissingRequiredProperty, location, $"{what}: data type '{dataType.Name}' requires property '{name}' (of type {definition.Type})");
            }
        }

        if (dataType.IsDerivedFrom("tosca.datatypes.network.PortSpec"))
        {
            CheckPortRange(map, "source", what, location);
            CheckPortRange(map, "target", what, location);
        }
    }

    // PortSpec's additional requirement: a port given with a range must lie inside it.
    private void CheckPortRange(YMapping map, string name, string what, SourceLocation location)
    {
        if (map[name] is YScalar { Kind: ScalarKind.Integer } port && map[name + "_range"] is YSequence { Items.Count: 2 } range
            && TryParseScalar(port, "integer", out var p, out _) && TryParseScalar(range, "range", out var r, out _))
        {
            var (min, max) = ((long, long))r!;
            var value = (long)p!;
            if (value < min || value > max)
            {
                diagnostics.Error(ErrorCodes.ConstraintViolated, location == map.Location ? port.Location : location,
                    $"property '{name}' of {what}: {value} is outside its {name}_range [{min}, {(max == long.MaxValue ? "UNBOUNDED" : max)}]");
            }
        }
    }

    private Schema? EntrySchemaOf(ToscaType? dataType)
    {
        for (var t = dataType; t is not null; t = t.Parent)
        {
            if (t.EntrySchema is { } e)
            {
                return e;
            }
        }

        return null;
    }

    private bool Mismatch(YNode value, string expected, string what, SourceLocation location)
    {
        diagnostics.Error(ErrorCodes.TypeMismatch, location, $"{what} must be {expected}, not {value.Describe()}");
        return false;
    }

    private static string Expected(string primitive) => primitive switch
    {
        "integer" => "an integer",
        "float" => "a number",
        "boolean" => "true or false",
        "string" => "a string",
        _ => $"a {primitive}",
    };

    /// <summary>Parses a scalar as a primitive type into a comparable value, or says why it is not one.</summary>
    public static bool TryParseScalar(YNode node, string primitive, out object? value, out string problem)
    {
        value = null;
        problem = string.Empty;
        if (primitive == "range")
        {
            if (node is YSequence { Items.Count: 2 } s && s.Items[0] is YScalar lo && s.Items[1] is YScalar hi
                && ScalarResolver.TryGetInteger(lo.Text, out var min)
                && (hi.Text == "UNBOUNDED" ? (long?)long.MaxValue : ScalarResolver.TryGetInteger(hi.Text, out var h) ? h : null) is { } max)
            {
                if (min > max)
                {
                    problem = $"range [{min}, {max}] has its lower bound above its upper bound";
                    return false;
                }

                value = (min, max);
                return true;
            }

            problem = $"{node.Describe()} is not a range (expected [min, max] of integers, max may be UNBOUNDED)";
            return false;
        }

        if (node is not YScalar scalar)
        {
            problem = $"{node.Describe()} is not {Expected(primitive)}";
            return false;
        }

        switch (primitive)
        {
            case "string":
                if (scalar.Kind is ScalarKind.String)
                {
                    value = scalar.Text;
                    return true;
                }

                break;
            case "integer":
                if (scalar.Kind == ScalarKind.Integer && ScalarResolver.TryGetInteger(scalar.Text, out var l))
                {
                    value = l;
                    return true;
                }

                break;
            case "float":
                if (scalar.Kind is ScalarKind.Integer or ScalarKind.Float && ScalarResolver.TryGetFloat(scalar.Text, out var d))
                {
                    value = d;
                    return true;
                }

                break;
            case "boolean":
                if (scalar.Kind == ScalarKind.Boolean)
                {
                    value = scalar.BooleanValue;
                    return true;
                }

                // A constraint's bound (equal: no) is read as the value it is compared with.
                if (scalar.IsPlain && scalar.Kind == ScalarKind.String && ScalarResolver.TryGetYaml11Boolean(scalar.Text, out var yaml11))
                {
                    value = yaml11;
                    return true;
                }

                break;
            case "null":
                if (scalar.IsNull)
                {
                    return true;
                }

                break;
            case "version":
                if (!scalar.IsNull && ToscaVersion.TryParse(scalar.Text, out var version))
                {
                    value = version;
                    return true;
                }

                problem = $"{scalar.Describe()} is not a version (expected major.minor[.fix[.qualifier[-build]]], e.g. 1.0 or 2.1.3)";
                return false;
            case "timestamp":
                if (!scalar.IsNull && TryParseTimestamp(scalar.Text, out var timestamp))
                {
                    value = timestamp;
                    return true;
                }

                problem = $"{scalar.Describe()} is not a timestamp (expected ISO 8601, e.g. 2015-05-07T07:00:00Z)";
                return false;
            case var unit when unit.StartsWith("scalar-unit.", StringComparison.Ordinal):
                if (!scalar.IsNull && ScalarUnit.TryParse(scalar.Text, unit, out var su))
                {
                    value = su;
                    return true;
                }

                problem = $"{scalar.Describe()} is not a valid {unit} (expected a number and a unit, e.g. \"{Example(unit)}\"; units: {string.Join(", ", ScalarUnit.UnitsOf(unit))})";
                return false;
        }

        problem = $"{scalar.Describe()} is not {Expected(primitive)}";
        return false;
    }

    private static string Example(string unit) => unit switch
    {
        "scalar-unit.size" => "10 GB",
        "scalar-unit.time" => "30 s",
        "scalar-unit.frequency" => "2 GHz",
        _ => "100 Mbps",
    };

    private static bool TryParseTimestamp(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text.Replace('t', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    private void CheckConstraint(YNode value, string? primitive, Constraint constraint, string what, SourceLocation location)
    {
        if (FunctionCall.IsFunction(value))
        {
            return;
        }

        var comparable = primitive ?? "string";
        string? failure = null;
        switch (constraint.Operator)
        {
            case "equal" or "greater_than" or "greater_or_equal" or "less_than" or "less_or_equal":
                if (!Compare(value, constraint.Argument, comparable, constraint, out var c))
                {
                    return;
                }

                var ok = constraint.Operator switch
                {
                    "equal" => c == 0,
                    "greater_than" => c > 0,
                    "greater_or_equal" => c >= 0,
                    "less_than" => c < 0,
                    _ => c <= 0,
                };
                failure = ok ? null : $"must be {constraint.Operator.Replace('_', ' ')}{(constraint.Operator.EndsWith("than", StringComparison.Ordinal) ? string.Empty : " to")} {Constraint.Render(constraint.Argument)}";
                break;
            case "in_range":
                var bounds = ((YSequence)constraint.Argument).Items;
                if (comparable == "range" && TryParseScalar(value, "range", out var rv, out _))
                {
                    var (lo, hi) = ((long, long))rv!;
                    failure = InRange(new YScalar(value.Location, lo.ToString(CultureInfo.InvariantCulture), ScalarKind.Integer, true), bounds, "integer", constraint)
                        && InRange(new YScalar(value.Location, hi == long.MaxValue ? bounds[1].ToString()! : hi.ToString(CultureInfo.InvariantCulture), ScalarKind.Integer, true), bounds, "integer", constraint)
                        ? null : $"must lie within {Constraint.Render(constraint.Argument)}";
                    break;
                }

                failure = InRange(value, bounds, comparable, constraint) ? null : $"is out of range {Constraint.Render(constraint.Argument)}";
                break;
            case "valid_values":
                var candidates = ((YSequence)constraint.Argument).Items;
                var matched = candidates.Any(candidate => Compare(value, candidate, comparable, constraint, out var cc, report: false) && cc == 0);
                failure = matched ? null : $"must be one of {Constraint.Render(constraint.Argument)}";
                break;
            case "length" or "min_length" or "max_length":
                var length = value switch
                {
                    YScalar s => s.Text.Length,
                    YSequence q => q.Items.Count,
                    YMapping m => m.Count,
                    _ => 0,
                };
                var limit = long.Parse(((YScalar)constraint.Argument).Text, CultureInfo.InvariantCulture);
                failure = constraint.Operator switch
                {
                    "length" when length != limit => $"must have length {limit}, not {length}",
                    "min_length" when length < limit => $"must have length at least {limit}, not {length}",
                    "max_length" when length > limit => $"must have length at most {limit}, not {length}",
                    _ => null,
                };
                break;
            case "pattern":
                if (value is YScalar text)
                {
                    try
                    {
                        var pattern = ((YScalar)constraint.Argument).Text;
                        failure = Regex.IsMatch(text.Text, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1)) ? null : $"must match the pattern '{pattern}'";
                    }
                    catch (ArgumentException e)
                    {
                        diagnostics.Error(ErrorCodes.InvalidConstraint, constraint.Location, $"pattern of {what} is not a valid regular expression: {e.Message}");
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        failure = "could not be matched against the pattern in time";
                    }
                }

                break;
        }

        if (failure is not null)
        {
            diagnostics.Error(ErrorCodes.ConstraintViolated, location, $"{what}: value {Constraint.Render(value)} {failure} (constraint {constraint})");
        }
    }

    private bool InRange(YNode value, IReadOnlyList<YNode> bounds, string comparable, Constraint constraint) =>
        Compare(value, bounds[0], comparable, constraint, out var low) && low >= 0
        && (bounds[1] is YScalar { Text: "UNBOUNDED" } || (Compare(value, bounds[1], comparable, constraint, out var high) && high <= 0));

    private bool Compare(YNode value, YNode argument, string primitive, Constraint constraint, out int result, bool report = true)
    {
        result = 0;
        var kind = primitive is "list" or "map" or "range" ? "string" : primitive;
        if (!TryParseScalar(value, kind, out var left, out _))
        {
            return false;
        }

        if (!TryParseScalar(argument, kind, out var right, out var problem))
        {
            // A numeric constraint over floats accepts integer bounds, and so on; anything else is a bad definition.
            if (kind == "float" && TryParseScalar(argument, "integer", out var asInt, out _))
            {
                right = (double)(long)asInt!;
            }
            else
            {
                if (report)
                {
                    diagnostics.Error(ErrorCodes.InvalidConstraint, argument.Location, $"constraint '{constraint.Operator}' has a bound that does not fit type {primitive}: {problem}");
                }

                return false;
            }
        }

        result = ((IComparable)left!).CompareTo(right);
        return true;
    }
}
