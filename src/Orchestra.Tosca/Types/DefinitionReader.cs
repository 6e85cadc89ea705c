using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Validation;

namespace Orchestra.Tosca.Types;

/// <summary>Reads the definitions shared by types and templates: properties, schemas, constraints, interfaces, operations.</summary>
internal sealed class DefinitionReader(DiagnosticBag diagnostics)
{
    public static readonly string[] PropertyKeys =
        ["type", "description", "required", "default", "status", "constraints", "key_schema", "entry_schema", "metadata", "external-schema", "value"];

    private static readonly string[] SchemaKeys = ["type", "description", "constraints", "key_schema", "entry_schema"];
    private static readonly string[] InterfaceKeys = ["type", "description", "inputs", "operations", "notifications", "derived_from", "version", "metadata"];
    private static readonly string[] OperationKeys = ["description", "implementation", "inputs", "outputs"];
    private static readonly string[] ImplementationKeys = ["primary", "dependencies", "timeout", "operation_host"];

    public DiagnosticBag Diagnostics => diagnostics;

    /// <summary>Reads a map of property (or attribute) definitions.</summary>
    /// <remarks>
    /// With <c>valuesAllowed</c>, <c>name: value</c> refines an inherited definition even where a type is not required (a node
    /// type's capability definition may give its capability type's properties values).
    /// </remarks>
    public Dictionary<string, PropertyDefinition> Properties(YNode? node, string context, bool typeRequired = true, bool valuesAllowed = false)
    {
        var result = new Dictionary<string, PropertyDefinition>(StringComparer.Ordinal);
        var mapping = NodeReader.Mapping(node, diagnostics, context);
        if (mapping is null)
        {
            return result;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            if (Property(key, value, $"{context} '{key.Text}'", typeRequired, valuesAllowed) is { } definition)
            {
                result[key.Text] = definition;
            }
        }

        return result;
    }

    public PropertyDefinition? Property(YScalar key, YNode value, string context, bool typeRequired = true, bool valuesAllowed = false)
    {
        // In a derived type, "name: value" (a scalar, or a map that is not a definition) refines the inherited
        // property's default; tosca-parser's own data relies on it.
        if ((typeRequired || valuesAllowed) && IsValueRefinement(value))
        {
            return new PropertyDefinition(key.Text, new Schema("any", [], null, null, key.Location), false, value, null, key.Location) { IsRefinement = true };
        }

        var mapping = NodeReader.Mapping(value, diagnostics, context);
        if (mapping is null)
        {
            if (value is YScalar { IsNull: true } && !typeRequired)
            {
                return new PropertyDefinition(key.Text, new Schema("any", [], null, null, key.Location), false, null, null, key.Location);
            }

            if (value is YScalar { IsNull: true })
            {
                diagnostics.Error(ErrorCodes.MissingKey, key.Location, $"{context} is missing the required key 'type'");
            }

            return null;
        }

        NodeReader.CheckKeys(mapping, PropertyKeys, diagnostics, context);
        var type = NodeReader.String(mapping["type"], diagnostics, $"'type' of {context}");

        // Without a type, a definition in a derived type refines the inherited one (TOSCA 1.3 3.6.10.3); one that refines
        // nothing is reported once the types are linked (TypeRegistry.CheckRefinements).
        var refinesInherited = type is null && typeRequired && !mapping.ContainsKey("type");
        if (type is null && typeRequired && !refinesInherited)
        {
            diagnostics.Error(ErrorCodes.MissingKey, key.Location, $"{context} is missing the required key 'type'");
        }

        var schema = new Schema(
            type ?? "any",
            Constraints(mapping["constraints"], context),
            mapping["entry_schema"] is { } entry ? SchemaOf(entry, $"'entry_schema' of {context}") : null,
            mapping["key_schema"] is { } keySchema ? SchemaOf(keySchema, $"'key_schema' of {context}") : null,
            mapping["type"]?.Location ?? key.Location);
        var requiredAsWritten = NodeReader.Boolean(mapping["required"], diagnostics, $"'required' of {context}");
        return new PropertyDefinition(key.Text, schema, requiredAsWritten ?? true, mapping["default"], NodeReader.Text(mapping["description"]), key.Location)
        {
            Value = mapping["value"],
            RefinesWithoutType = refinesInherited,
            RequiredAsWritten = requiredAsWritten,
        };
    }

    public Schema? SchemaOf(YNode node, string context)
    {
        if (node is YScalar { IsNull: false } scalar)
        {
            return new Schema(scalar.Text, [], null, null, scalar.Location);
        }

        var mapping = NodeReader.Mapping(node, diagnostics, context);
        if (mapping is null)
        {
            return null;
        }

        NodeReader.CheckKeys(mapping, SchemaKeys, diagnostics, context);
        var type = NodeReader.String(mapping["type"], diagnostics, $"'type' of {context}");
        if (type is null)
        {
            diagnostics.Error(ErrorCodes.MissingKey, node.Location, $"{context} is missing the required key 'type'");
            return null;
        }

        return new Schema(
            type,
            Constraints(mapping["constraints"], context),
            mapping["entry_schema"] is { } entry ? SchemaOf(entry, $"'entry_schema' of {context}") : null,
            mapping["key_schema"] is { } keySchema ? SchemaOf(keySchema, $"'key_schema' of {context}") : null,
            mapping["type"]!.Location);
    }

    public List<Constraint> Constraints(YNode? node, string context)
    {
        var result = new List<Constraint>();
        foreach (var item in NodeReader.Sequence(node, diagnostics, $"'constraints' of {context}")?.Items ?? [])
        {
            if (Constraint(item, context) is { } c)
            {
                result.Add(c);
            }
        }

        return result;
    }

    public Constraint? Constraint(YNode item, string context)
    {
        if (item is not YMapping { Count: 1 } clause)
        {
            diagnostics.Error(ErrorCodes.InvalidConstraint, item.Location, $"a constraint of {context} must be a map with one operator, not {item.Describe()}");
            return null;
        }

        var (op, argument) = clause.Entries[0];
        if (!Validation.Constraint.Operators.Contains(op.Text))
        {
            diagnostics.Error(ErrorCodes.InvalidConstraint, op.Location, $"unknown constraint operator '{op.Text}' in {context}; expected one of: {string.Join(", ", Validation.Constraint.Operators)}",
                Suggestions.DidYouMean(op.Text, Validation.Constraint.Operators));
            return null;
        }

        var ok = op.Text switch
        {
            "in_range" => argument is YSequence { Items.Count: 2 } && ((YSequence)argument).Items.All(i => i is YScalar),
            "valid_values" => argument is YSequence,
            "pattern" => argument is YScalar { IsNull: false },
            "length" or "min_length" or "max_length" => argument is YScalar { Kind: ScalarKind.Integer },
            "schema" => true,
            _ => argument is YScalar { IsNull: false },
        };
        if (!ok)
        {
            var expected = op.Text switch
            {
                "in_range" => "a list of two values [min, max]",
                "valid_values" => "a list of values",
                "length" or "min_length" or "max_length" => "an integer",
                _ => "a single value",
            };
            diagnostics.Error(ErrorCodes.InvalidConstraint, argument.Location, $"constraint '{op.Text}' in {context} expects {expected}, not {argument.Describe()}");
            return null;
        }

        return new Constraint(op.Text, argument, op.Location);
    }

    /// <summary>Reads interfaces (definitions in types or assignments in templates), both 1.0 and 1.3 grammars.</summary>
    public InterfaceSet Interfaces(YNode? node, string file, string context, bool inTemplate)
    {
        var result = new InterfaceSet();
        var mapping = NodeReader.Mapping(node, diagnostics, $"'interfaces' of {context}");
        foreach (var (key, value) in mapping?.Entries ?? [])
        {
            result[key.Text] = Interface(key, value, file, $"interface '{key.Text}' of {context}", inTemplate);
        }

        return result;
    }

    // inputsAreDefinitions: every input must be a parameter definition (interface types), not a value.
    public InterfaceDefinition Interface(YScalar key, YNode value, string file, string context, bool inTemplate, bool inputsAreDefinitions = false)
    {
        var definition = new InterfaceDefinition(key.Text, key.Location);
        var mapping = NodeReader.Mapping(value, diagnostics, context);
        if (mapping is null)
        {
            return definition;
        }

        definition.TypeName = NodeReader.String(mapping["type"], diagnostics, $"'type' of {context}");
        Parameters(mapping["inputs"], definition.Inputs, context, inputsAreDefinitions);
        foreach (var (k, v) in mapping.Entries)
        {
            switch (k.Text)
            {
                case "operations" or "notifications":
                    foreach (var (opKey, opValue) in NodeReader.Mapping(v, diagnostics, $"'{k.Text}' of {context}")?.Entries ?? [])
                    {
                        definition.Operations[opKey.Text] = Operation(opKey, opValue, file, $"operation '{opKey.Text}' of {context}", k.Text == "notifications", inputsAreDefinitions);
                    }

                    break;
                case "type" or "inputs" or "description" or "derived_from" or "version" or "metadata":
                    break;
                default:
                    // TOSCA 1.0 to 1.2: operations directly under the interface.
                    definition.Operations[k.Text] = Operation(k, v, file, $"operation '{k.Text}' of {context}", false, inputsAreDefinitions);
                    break;
            }
        }

        _ = inTemplate;
        return definition;
    }

    public OperationDefinition Operation(YScalar key, YNode value, string file, string context, bool notification, bool inputsAreDefinitions = false)
    {
        var operation = new OperationDefinition(key.Text, key.Location) { IsNotification = notification };
        switch (value)
        {
            case YScalar { IsNull: true }:
                return operation;
            case YScalar s:
                operation.Implementation = new ImplementationDefinition(s.Text, [], null, file, s.Location);
                return operation;
        }

        var mapping = NodeReader.Mapping(value, diagnostics, context);
        if (mapping is null)
        {
            return operation;
        }

        NodeReader.CheckKeys(mapping, OperationKeys, diagnostics, context);
        operation.Description = NodeReader.Text(mapping["description"]);
        operation.Implementation = mapping["implementation"] is { } implementation ? Implementation(implementation, file, context) : null;
        Parameters(mapping["inputs"], operation.Inputs, context, inputsAreDefinitions);
        return operation;
    }

    private ImplementationDefinition? Implementation(YNode node, string file, string context)
    {
        if (node is YScalar scalar)
        {
            return scalar.IsNull ? null : new ImplementationDefinition(scalar.Text, [], null, file, scalar.Location);
        }

        var mapping = NodeReader.Mapping(node, diagnostics, $"'implementation' of {context}");
        if (mapping is null)
        {
            return null;
        }

        NodeReader.CheckKeys(mapping, ImplementationKeys, diagnostics, $"'implementation' of {context}");
        var primary = mapping["primary"] switch
        {
            YMapping artifact => NodeReader.String(artifact["file"], diagnostics, "'file' of the primary artifact"),
            var p => NodeReader.String(p, diagnostics, $"'primary' of {context}"),
        };
        var dependencies = new List<string>();
        foreach (var item in NodeReader.Sequence(mapping["dependencies"], diagnostics, $"'dependencies' of {context}")?.Items ?? [])
        {
            var path = item is YMapping artifact ? NodeReader.String(artifact["file"], diagnostics, "'file' of a dependency") : NodeReader.String(item, diagnostics, "a dependency");
            if (path is not null)
            {
                dependencies.Add(path);
            }
        }

        int? timeout = null;
        if (mapping["timeout"] is { } t)
        {
            if (t is YScalar { Kind: ScalarKind.Integer } ts && ScalarResolver.TryGetInteger(ts.Text, out var seconds) && seconds > 0 && seconds <= int.MaxValue)
            {
                timeout = (int)seconds;
            }
            else
            {
                diagnostics.Error(ErrorCodes.TypeMismatch, t.Location, $"'timeout' of {context} must be a positive integer number of seconds, not {t.Describe()}");
            }
        }

        // Located at the primary's value, which is what a refusal of the implementation is about.
        var location = mapping["primary"] switch
        {
            YMapping artifact => artifact["file"]?.Location ?? artifact.Location,
            { } p => p.Location,
            null => mapping.Location,
        };
        return new ImplementationDefinition(primary, dependencies, timeout, file, location);
    }

    /// <summary>Reads the inputs of an owner (named in messages): definitions (with a type) or values.</summary>
    /// <remarks>
    /// With <c>definitionsOnly</c>, each input must be a parameter definition (TOSCA 1.3: those of interface types and their
    /// operations), whose type is optional: a map is read as one (its keys checked), and anything else is an error.
    /// </remarks>
    public void Parameters(YNode? node, Dictionary<string, ParameterNode> into, string owner, bool definitionsOnly = false)
    {
        foreach (var (key, value) in NodeReader.Mapping(node, diagnostics, $"'inputs' of {owner}")?.Entries ?? [])
        {
            var what = $"input '{key.Text}' of {owner}";
            if (definitionsOnly)
            {
                if (value is not (YMapping or YScalar { IsNull: true }))
                {
                    diagnostics.Error(ErrorCodes.WrongShape, value.Location,
                        $"{what} must be a parameter definition (a map of {string.Join(", ", PropertyKeys)}), not {value.Describe()}; give a value as its 'default' or 'value'");
                    continue;
                }

                into[key.Text] = new ParameterNode(key.Text, Property(key, value, what, typeRequired: false), null, key.Location);
            }
            else if (LooksLikeDefinition(value))
            {
                into[key.Text] = new ParameterNode(key.Text, Property(key, value, what, typeRequired: false), null, key.Location);
            }
            else
            {
                into[key.Text] = new ParameterNode(key.Text, null, value, key.Location);
            }
        }
    }

    private static bool IsValueRefinement(YNode value) =>
        value is YScalar { IsNull: false } or YSequence || (value is YMapping m && !m.ContainsKey("type") && !m.Keys.All(k => PropertyKeys.Contains(k)));

    public static bool LooksLikeDefinition(YNode value) =>
        value is YMapping m && m.ContainsKey("type") && m["type"] is YScalar && m.Keys.All(k => PropertyKeys.Contains(k));

    public static Occurrences? ReadOccurrences(YNode? node, DiagnosticBag diagnostics, string context)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YSequence { Items.Count: 2 } s && s.Items[0] is YScalar lo && s.Items[1] is YScalar hi
            && int.TryParse(lo.Text, out var min) && min >= 0
            && (hi.Text == "UNBOUNDED" ? (int?)int.MaxValue : int.TryParse(hi.Text, out var h) ? h : null) is { } max && max >= min)
        {
            return new Occurrences(min, max);
        }

        diagnostics.Error(ErrorCodes.WrongShape, node.Location, $"'occurrences' of {context} must be [min, max] with 0 <= min <= max (max may be UNBOUNDED), not {Validation.Constraint.Render(node)}");
        return null;
    }
}
