using System.Text.Json;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Types;
using Orchestra.Tosca.Validation;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>
/// Merges the caller's input values with the declared defaults. Text values (from a command line) are converted
/// to the declared type: YAML/JSON syntax for numbers, booleans, lists and maps, the text itself for strings.
/// </summary>
internal static class InputBinder
{
    public static Dictionary<string, YNode?> Bind(
        TopologyModel topology,
        IReadOnlyDictionary<string, object?>? supplied,
        TypeRegistry registry,
        ToscaCompilerOptions options,
        DiagnosticBag diagnostics)
    {
        var values = new Dictionary<string, YNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in supplied ?? new Dictionary<string, object?>())
        {
            if (!topology.Inputs.ContainsKey(name))
            {
                diagnostics.Error(ErrorCodes.UndeclaredInput, SourceLocation.StartOf(topology.File),
                    $"a value was supplied for input '{name}', which the template does not declare" +
                    (topology.Inputs.Count > 0 ? $"; declared inputs: {string.Join(", ", topology.Inputs.Keys)}" : "; it declares no inputs"),
                    Suggestions.DidYouMean(name, topology.Inputs.Keys));
            }
        }

        long suppliedBytes = 0;
        foreach (var (name, definition) in topology.Inputs)
        {
            if (supplied is not null && supplied.TryGetValue(name, out var raw))
            {
                // Each input reaches the plan once per property and operation input using it, and its text is journaled besides.
                var bytes = SizeOf(raw);
                suppliedBytes += bytes;
                if (suppliedBytes > options.MaxInputBytes)
                {
                    diagnostics.Error(ErrorCodes.InputTooLarge, definition.Location,
                        $"the value supplied for input '{name}' takes {bytes} bytes, which brings the supplied inputs to more than the limit of {options.MaxInputBytes} bytes (ToscaCompilerOptions.MaxInputBytes)");
                    values[name] = null;
                    continue;
                }

                var node = Convert(raw, definition, registry, options, diagnostics);
                if (node is not null)
                {
                    var scratch = new DiagnosticBag();
                    new ValueValidator(registry, scratch).Check(node, definition.Schema, $"the value supplied for input '{name}'", at: definition.Location);
                    foreach (var d in scratch.Items)
                    {
                        diagnostics.Add(d with { Code = ErrorCodes.InvalidInputValue });
                    }
                }

                values[name] = node;
                continue;
            }

            var fallback = definition.Value ?? definition.Default;
            values[name] = fallback;
            if (fallback is null && definition.Required)
            {
                var message = $"input '{name}' has no value and no default; supply one (e.g. --input {name}=...), or give it a default or 'required: false' in the template";
                if (options.RequireAllInputs)
                {
                    diagnostics.Error(ErrorCodes.MissingInputValue, definition.Location, message);
                }
                else
                {
                    diagnostics.Warning(ErrorCodes.MissingInputValue, definition.Location, message + "; it evaluates to null until then");
                }
            }
        }

        return values;
    }

    // UTF-8 bytes of the value as it was given: its text, or its JSON.
    private static long SizeOf(object? raw) => raw switch
    {
        null => 0,
        string text => System.Text.Encoding.UTF8.GetByteCount(text),
        JsonElement element => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length,
        YNode node => node.ExpandedText,
        _ => JsonSerializer.SerializeToUtf8Bytes(raw).LongLength,
    };

    private static YNode? Convert(object? raw, Types.PropertyDefinition definition, TypeRegistry registry, ToscaCompilerOptions options, DiagnosticBag diagnostics)
    {
        var at = definition.Location;
        switch (raw)
        {
            case null:
                return new YScalar(at, string.Empty, ScalarKind.Null, true);
            case YNode node:
                return node;
            case JsonElement element:
                return JsonValues.ToNode(element, at);
            case string text:
                var primitive = registry.PrimitiveBase(definition.Type);
                if (primitive == "string" || definition.Type == "any")
                {
                    return new YScalar(at, text, ScalarKind.String, false);
                }

                if (primitive is "version" or "timestamp" || primitive?.StartsWith("scalar-unit.", StringComparison.Ordinal) == true)
                {
                    return new YScalar(at, text, ScalarKind.String, true);
                }

                var scratch = new DiagnosticBag();
                var parsed = YamlLoader.LoadText(text, $"input '{definition.Name}'", options, scratch);
                if (parsed is null || scratch.HasErrors)
                {
                    diagnostics.Error(ErrorCodes.InvalidInputValue, at,
                        $"the value supplied for input '{definition.Name}' (\"{text}\") cannot be read as {definition.Type}: {string.Join("; ", scratch.Items.Select(i => i.Message))}");
                    return null;
                }

                return Relocate(parsed, at);
            default:
                return JsonValues.ToNode(JsonSerializer.SerializeToElement(raw), at);
        }
    }

    // Values parsed from a command-line string are located at the input's declaration.
    private static YNode Relocate(YNode node, SourceLocation at) => node switch
    {
        YScalar s => new YScalar(at, s.Text, s.Kind, s.IsPlain),
        YSequence q => new YSequence(at, q.Items.Select(i => Relocate(i, at)).ToList()),
        YMapping m => RelocateMapping(m, at),
        _ => node,
    };

    private static YMapping RelocateMapping(YMapping m, SourceLocation at)
    {
        var result = new YMapping(at);
        foreach (var (k, v) in m.Entries)
        {
            result.TryAdd(new YScalar(at, k.Text, k.Kind, k.IsPlain), Relocate(v, at));
        }

        return result;
    }
}
