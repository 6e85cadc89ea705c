using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Validation;

/// <summary>The types a schema names: checked where the schema is written, and each unknown one reported once.</summary>
internal sealed partial class ValueValidator
{
    private readonly HashSet<SourceLocation> _unknownSchemaTypes = [];

    /// <summary>Reports every type of <paramref name="schema"/> (its entry and key schemas included) that is not defined.</summary>
    /// <returns>Whether every type it names is known.</returns>
    public bool CheckSchema(Schema schema, string what)
    {
        var known = schema.Type == "any" || IsKnownType(schema, what);
        known &= schema.EntrySchema is not { } entry || CheckSchema(entry, $"'entry_schema' of {what}");
        known &= schema.KeySchema is not { } key || CheckSchema(key, $"'key_schema' of {what}");
        return known;
    }

    /// <summary>Checks a property, attribute or parameter definition: its types, and its default and value against them.</summary>
    public void CheckDefinition(PropertyDefinition definition, string what)
    {
        if (definition.IsRefinement || !CheckSchema(definition.Schema, what))
        {
            return;
        }

        if (definition.Default is { } value and not Parsing.YScalar { IsNull: true })
        {
            Check(value, definition.Schema, $"the default of {what}");
        }

        if (definition.Value is { } assigned and not Parsing.YScalar { IsNull: true })
        {
            Check(assigned, definition.Schema, $"the value of {what}");
        }
    }

    // One error per place a type is named, however many values are checked against it.
    private bool IsKnownType(Schema schema, string what)
    {
        if (registry.IsKnownDataType(schema.Type))
        {
            return true;
        }

        if (_unknownSchemaTypes.Add(schema.Location))
        {
            diagnostics.Error(ErrorCodes.UnknownType, schema.Location, $"{what} names data type '{schema.Type}', which is not defined",
                Suggestions.DidYouMean(schema.Type, registry.Names(TypeKind.Data).Concat(["string", "integer", "float", "boolean", "list", "map", "version", "range", "timestamp"])));
        }

        return false;
    }
}
