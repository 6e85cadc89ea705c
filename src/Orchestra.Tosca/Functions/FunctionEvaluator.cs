using System.Globalization;
using System.Text.Json;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Functions;

/// <summary>
/// Evaluates values with intrinsic functions: get_input, get_property, concat, join and token over constants become
/// literals; get_attribute and get_operation_output become run-time <see cref="OutputReference"/>s, and lists and maps
/// holding them <see cref="ListValue"/>s and <see cref="MapValue"/>s.
/// </summary>
internal sealed partial class FunctionEvaluator(
    TopologyModel topology,
    TypeRegistry registry,
    IReadOnlyDictionary<string, YNode?> inputs,
    DiagnosticBag diagnostics)
{
    // Function calls in progress (get_property -> get_property -> ...): only these count towards the "cycle?" error,
    // so a deep but plain constant is not mistaken for one.
    private const int MaxFunctionCalls = 32;

    // Lists, maps and calls together: a stack guard for a hostile template. One document is already bounded by
    // ToscaCompilerOptions.MaxDepth (200 by default), but get_property chains can stack several documents' values.
    private const int MaxNesting = 512;
    private readonly Dictionary<(NodeTemplate, string), PlanValue?> _propertyCache = [];
    private readonly HashSet<(NodeTemplate, string)> _inProgress = [];
    private int _calls;
    private int _nesting;

    /// <summary>Evaluates a value; returns null after reporting when it cannot be evaluated.</summary>
    public PlanValue? Evaluate(YNode? value, EvaluationContext context)
    {
        if (value is null)
        {
            return JsonValues.Null;
        }

        if (_nesting + 1 > MaxNesting)
        {
            diagnostics.Error(ErrorCodes.InvalidFunction, value.Location,
                $"this value nests more than {MaxNesting} levels deep (lists, maps and function calls counted together); use fewer levels");
            return null;
        }

        var call = FunctionCall.TryParse(value);
        if (call is not null && _calls + 1 > MaxFunctionCalls)
        {
            diagnostics.Error(ErrorCodes.InvalidFunction, value.Location,
                $"functions refer to each other more than {MaxFunctionCalls} calls deep (is there a get_property cycle?)");
            return null;
        }

        _nesting++;
        _calls += call is null ? 0 : 1;
        try
        {
            var result = value switch
            {
                _ when call is not null => Call(call, context),
                YScalar scalar => JsonValues.Literal(w => JsonValues.WriteScalar(w, scalar)),
                YSequence sequence => Collection(sequence, sequence.Items.Select(i => ((string?)null, i)).ToList(), context),
                YMapping mapping => Collection(mapping, mapping.Entries.Select(e => ((string?)e.Key.Text, e.Value)).ToList(), context),
                _ => null,
            };

            // Reported once, at the innermost value over the limit: the values around it then fail without a word.
            if (result is not (null or LiteralValue) && result.Depth > PlanValue.MaxDepth)
            {
                diagnostics.Error(ErrorCodes.UnsupportedRuntimeValue, value.Location,
                    $"this run-time value nests {result.Depth} levels deep in a plan, more than the {PlanValue.MaxDepth} a plan can hold; use fewer levels of lists, maps and concat/join/token around get_attribute/get_operation_output");
                return null;
            }

            return result;
        }
        finally
        {
            _nesting--;
            _calls -= call is null ? 0 : 1;
        }
    }

    // A list or map: a literal when every item is known at compile time, else a ListValue/MapValue whose
    // constant items stay literals.
    private PlanValue? Collection(YNode node, List<(string? Key, YNode Value)> items, EvaluationContext context)
    {
        var values = new List<(string? Key, PlanValue Value)>(items.Count);
        var ok = true;
        foreach (var (key, item) in items)
        {
            if (Evaluate(item, context) is { } v)
            {
                values.Add((key, v));
            }
            else
            {
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        if (values.Any(static v => v.Value is not LiteralValue))
        {
            return node is YSequence
                ? new ListValue([.. values.Select(static v => v.Value)])
                : new MapValue(values.ToDictionary(static v => v.Key!, static v => v.Value, StringComparer.Ordinal));
        }

        return JsonValues.Literal(w =>
        {
            if (node is YSequence)
            {
                w.WriteStartArray();
                foreach (var (_, v) in values)
                {
                    ((LiteralValue)v).Value.WriteTo(w);
                }

                w.WriteEndArray();
            }
            else
            {
                w.WriteStartObject();
                foreach (var (k, v) in values)
                {
                    w.WritePropertyName(k!);
                    ((LiteralValue)v).Value.WriteTo(w);
                }

                w.WriteEndObject();
            }
        });
    }

    private PlanValue? Call(FunctionCall call, EvaluationContext context) => call.Name switch
    {
        "get_input" => GetInput(call, context),
        "get_property" => GetProperty(call, context),
        "get_attribute" => GetAttribute(call, context),
        "get_operation_output" => GetOperationOutput(call, context),
        "concat" => Concat(call, context),
        "join" => Join(call, context),
        "token" => Token(call, context),
        "get_nodes_of_type" => GetNodesOfType(call),
        _ => GetArtifact(call, context),
    };

    private PlanValue? Fail(FunctionCall call, string code, string message, string? suggestion = null)
    {
        diagnostics.Error(code, call.Location, $"{{ {call} }}: {message}", suggestion);
        return null;
    }

    private static string? ArgText(YNode node) => node is YScalar { IsNull: false } s ? s.Text : null;

    private PlanValue? GetInput(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count == 0 || ArgText(call.Arguments[0]) is not { } name)
        {
            return Fail(call, ErrorCodes.InvalidFunction, "get_input expects the name of an input");
        }

        if (!topology.Inputs.ContainsKey(name))
        {
            return Fail(call, ErrorCodes.UnknownInput, $"input '{name}' is not declared in the topology's 'inputs'" +
                (topology.Inputs.Count > 0 ? $"; declared: {string.Join(", ", topology.Inputs.Keys)}" : string.Empty),
                Suggestions.DidYouMean(name, topology.Inputs.Keys));
        }

        var value = inputs.GetValueOrDefault(name);
        var result = value is null ? JsonValues.Null : Evaluate(value, context);
        return WalkPath(call, result, call.Arguments.Skip(1), $"input '{name}'");
    }

    private PlanValue? WalkPath(FunctionCall call, PlanValue? value, IEnumerable<YNode> path, string what)
    {
        var steps = path.Select(ArgText).ToList();
        if (value is null || steps.Count == 0)
        {
            return value;
        }

        if (steps.Any(s => s is null))
        {
            return Fail(call, ErrorCodes.InvalidFunction, "nested names and indexes must be strings or integers");
        }

        var names = steps.ConvertAll(static s => s!);
        for (var i = 0; i < names.Count; i++)
        {
            var step = names[i];
            switch (value)
            {
                case OutputReference reference:
                    return reference with { Path = [.. reference.Path ?? [], .. names.Skip(i)] };
                case LiteralValue literal:
                    return WalkLiteral(call, literal.Value, names.Skip(i), what);
                case ListValue list when int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Items.Count:
                    value = list.Items[index];
                    break;
                case ListValue list:
                    return Fail(call, ErrorCodes.InvalidFunction, $"{what} is a list of {list.Items.Count} item(s), which has no entry '{step}'");
                case MapValue map when map.Entries.TryGetValue(step, out var entry):
                    value = entry;
                    break;
                case MapValue map:
                    return Fail(call, ErrorCodes.InvalidFunction, $"{what} is a map, which has no entry '{step}'", Suggestions.DidYouMean(step, map.Entries.Keys));
                default:
                    // concat, join and token make text at run time: there is nothing to index into.
                    return Fail(call, ErrorCodes.UnsupportedRuntimeValue, $"cannot index into the run-time value {value}: it is text computed when the deployment runs");
            }
        }

        return value;
    }

    private PlanValue? WalkLiteral(FunctionCall call, JsonElement current, IEnumerable<string> steps, string what)
    {
        foreach (var step in steps)
        {
            if (!JsonValues.TryWalk(current, step, out var next))
            {
                return Fail(call, ErrorCodes.InvalidFunction, $"{what} is {JsonValues.Describe(current)}, which has no entry '{step}'");
            }

            current = next;
        }

        return new LiteralValue(current);
    }

    private PlanValue? Concat(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count == 0)
        {
            return Fail(call, ErrorCodes.InvalidFunction, "concat expects at least one argument");
        }

        var parts = EvaluateAll(call.Arguments, context);
        if (parts is null)
        {
            return null;
        }

        return parts.All(p => p is LiteralValue)
            ? JsonValues.String(string.Concat(parts.Select(p => PlanValue.Render(((LiteralValue)p).Value))))
            : new ConcatValue(parts);
    }

    private PlanValue? Join(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count is < 1 or > 2 || call.Arguments[0] is not YSequence list)
        {
            return Fail(call, ErrorCodes.InvalidFunction, "join expects [ [ values... ], delimiter ] with an optional delimiter");
        }

        var delimiter = call.Arguments.Count == 2 ? ArgText(call.Arguments[1]) : string.Empty;
        if (delimiter is null)
        {
            return Fail(call, ErrorCodes.InvalidFunction, "the delimiter of join must be a string");
        }

        var parts = EvaluateAll(list.Items, context);
        if (parts is null)
        {
            return null;
        }

        return parts.All(p => p is LiteralValue)
            ? JsonValues.String(string.Join(delimiter, parts.Select(p => PlanValue.Render(((LiteralValue)p).Value))))
            : new JoinValue(parts, delimiter);
    }

    private PlanValue? Token(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count != 3)
        {
            return Fail(call, ErrorCodes.InvalidFunction, $"token expects three arguments [ string, separator, index ], not {call.Arguments.Count}");
        }

        // TOSCA 1.3 4.3.3: a string of separator characters, any of which ends a token (tosca-parser allows only one).
        if (call.Arguments[1] is not YScalar { Kind: ScalarKind.String, Text.Length: > 0 } separator)
        {
            return Fail(call, ErrorCodes.InvalidFunction, $"the second argument of token must be a string of one or more separator characters, not {call.Arguments[1].Describe()}");
        }

        if (call.Arguments[2] is not YScalar { Kind: ScalarKind.Integer } indexNode || !int.TryParse(indexNode.Text, out var index) || index < 0)
        {
            return Fail(call, ErrorCodes.InvalidFunction, $"the third argument of token must be a non-negative integer index, not {call.Arguments[2].Describe()}");
        }

        var source = Evaluate(call.Arguments[0], context);
        if (source is null)
        {
            return null;
        }

        var token = new TokenValue(source, separator.Text, index);
        return source is LiteralValue ? new LiteralValue(token.Evaluate(NoOutputs.Instance)) : token;
    }

    private List<PlanValue>? EvaluateAll(IEnumerable<YNode> nodes, EvaluationContext context)
    {
        var result = new List<PlanValue>();
        var ok = true;
        foreach (var node in nodes)
        {
            if (Evaluate(node, context) is { } v)
            {
                result.Add(v);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? result : null;
    }

    private PlanValue? GetNodesOfType(FunctionCall call)
    {
        if (call.Arguments.Count != 1 || ArgText(call.Arguments[0]) is not { } typeName)
        {
            return Fail(call, ErrorCodes.InvalidFunction, "get_nodes_of_type expects one node type name");
        }

        var names = topology.NodeTemplates.Values.Where(n => n.Type?.IsDerivedFrom(registry.Find(TypeKind.Node, typeName)?.Name ?? typeName) == true).Select(n => n.Name).ToList();
        return JsonValues.Literal(w =>
        {
            w.WriteStartArray();
            foreach (var n in names)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
        });
    }

    private PlanValue? GetArtifact(FunctionCall call, EvaluationContext context)
    {
        if (call.Arguments.Count < 2 || ArgText(call.Arguments[1]) is not { } artifactName)
        {
            return Fail(call, ErrorCodes.InvalidFunction, "get_artifact expects [ entity, artifact_name ]");
        }

        var node = ResolveEntity(call, call.Arguments[0], context, null);
        if (node is null)
        {
            return null;
        }

        return node.Artifacts.TryGetValue(artifactName, out var artifact)
            ? JsonValues.String(ArtifactPath(artifact))
            : Fail(call, ErrorCodes.UnknownFunctionProperty, $"node template '{node.Name}' has no artifact '{artifactName}'", Suggestions.DidYouMean(artifactName, node.Artifacts.Keys));
    }

    // A node type's artifact is relative to the type's file; scripts run in the main template's directory, so that is what it
    // is made relative to (a template's own artifact is already, and one in a repository is kept as written).
    private string ArtifactPath(ArtifactDefinition artifact)
    {
        if (artifact is not { DefinedIn: { } definedIn, File: { } file, Repository: null } || definedIn.StartsWith("<built-in>", StringComparison.Ordinal)
            || file.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(file))
        {
            return artifact.File ?? string.Empty;
        }

        var main = Path.GetDirectoryName(topology.File) ?? string.Empty;
        return Path.GetRelativePath(main, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(definedIn) ?? main, file))).Replace('\\', '/');
    }

    private sealed class NoOutputs : IOutputLookup
    {
        public static readonly NoOutputs Instance = new();

        public bool TryGetOutput(string node, string? operation, string name, out JsonElement value)
        {
            value = default;
            return false;
        }
    }
}
