using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Validation;

namespace Orchestra.Tosca.Types;

/// <summary>The kinds of TOSCA types, each in its own namespace.</summary>
internal enum TypeKind
{
    Data,
    Artifact,
    Capability,
    Interface,
    Relationship,
    Node,
    Group,
    Policy,
}

/// <summary>A type's schema for a value: a type name, constraints, and the schema of list/map entries.</summary>
internal sealed record Schema(string Type, IReadOnlyList<Constraint> Constraints, Schema? EntrySchema, Schema? KeySchema, SourceLocation Location);

/// <summary>A property, attribute, input or parameter definition.</summary>
internal sealed record PropertyDefinition(
    string Name,
    Schema Schema,
    bool Required,
    YNode? Default,
    string? Description,
    SourceLocation Location)
{
    public string Type => Schema.Type;

    /// <summary>The definition's <c>value</c> (TOSCA 1.3 parameters and outputs), if any.</summary>
    public YNode? Value { get; init; }

    /// <summary>Whether this only gives an inherited property a new default (<c>name: value</c> in a derived type).</summary>
    public bool IsRefinement { get; init; }

    /// <summary>
    /// Whether this is a definition without <c>type</c> in a derived type: it refines the inherited definition (its default,
    /// description, <c>required</c>, and constraints added to the inherited ones), and is an error where nothing is inherited.
    /// </summary>
    public bool RefinesWithoutType { get; init; }

    /// <summary>The <c>required</c> keyname as written, or null when the definition leaves it out.</summary>
    public bool? RequiredAsWritten { get; init; }

    /// <summary>This definition (one without a type) laid over the inherited one.</summary>
    public PropertyDefinition RefineOver(PropertyDefinition inherited) => inherited with
    {
        Default = Default ?? inherited.Default,
        Description = Description ?? inherited.Description,
        Required = RequiredAsWritten ?? inherited.Required,
        Schema = inherited.Schema with { Constraints = [.. inherited.Schema.Constraints, .. Schema.Constraints] },
        Value = Value ?? inherited.Value,
    };
}

/// <summary>An implementation: the primary artifact, its dependencies and timeout.</summary>
internal sealed record ImplementationDefinition(string? Primary, IReadOnlyList<string> Dependencies, int? TimeoutSeconds, string File, SourceLocation Location);

/// <summary>An operation or notification in an interface type or an interface assignment.</summary>
internal sealed class OperationDefinition(string name, SourceLocation location)
{
    public string Name { get; } = name;

    public SourceLocation Location { get; } = location;

    public string? Description { get; set; }

    public ImplementationDefinition? Implementation { get; set; }

    /// <summary>Inputs: definitions (with a type) or values, by name.</summary>
    public Dictionary<string, ParameterNode> Inputs { get; } = new(StringComparer.Ordinal);

    public bool IsNotification { get; init; }
}

/// <summary>An input of an operation or interface: a definition or a value (the grammar allows both).</summary>
internal sealed record ParameterNode(string Name, PropertyDefinition? Definition, YNode? Value, SourceLocation Location)
{
    /// <summary>The value to use: the explicit value, else the definition's value or default.</summary>
    public YNode? EffectiveValue => Value ?? Definition?.Value ?? Definition?.Default;
}

/// <summary>An interface definition in a node or relationship type (or an interface assignment in a template).</summary>
internal sealed class InterfaceDefinition(string name, SourceLocation location)
{
    public string Name { get; } = name;

    public SourceLocation Location { get; } = location;

    public string? TypeName { get; set; }

    public Dictionary<string, ParameterNode> Inputs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, OperationDefinition> Operations { get; } = new(StringComparer.Ordinal);
}

/// <summary>A capability definition in a node type.</summary>
internal sealed record CapabilityDefinition(
    string Name,
    string Type,
    IReadOnlyDictionary<string, PropertyDefinition> Properties,
    IReadOnlyDictionary<string, PropertyDefinition> Attributes,
    IReadOnlyList<string> ValidSourceTypes,
    SourceLocation Location);

/// <summary>Lower and upper bound of occurrences; <see cref="int.MaxValue"/> stands for UNBOUNDED.</summary>
internal readonly record struct Occurrences(int Min, int Max)
{
    public static Occurrences Default { get; } = new(1, 1);

    public override string ToString() => $"[{Min}, {(Max == int.MaxValue ? "UNBOUNDED" : Max)}]";
}

/// <summary>A requirement definition in a node type.</summary>
internal sealed record RequirementDefinition(
    string Name,
    string? Capability,
    string? Node,
    string? Relationship,
    InterfaceSet? RelationshipInterfaces,
    Occurrences Occurrences,
    YNode? NodeFilter,
    SourceLocation Location);

/// <summary>Interfaces by name, as defined or assigned in one place.</summary>
internal sealed class InterfaceSet : Dictionary<string, InterfaceDefinition>
{
    public InterfaceSet()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>A TOSCA type of any kind, with its own definitions and, once resolved, its parent.</summary>
internal sealed class ToscaType(TypeKind kind, string name, string file, SourceLocation location)
{
    public TypeKind Kind { get; } = kind;

    public string Name { get; } = name;

    /// <summary>The file that defines the type (implementation paths in it are relative to its directory).</summary>
    public string File { get; } = file;

    public SourceLocation Location { get; } = location;

    public string? DerivedFrom { get; set; }

    public SourceLocation DerivedFromLocation { get; set; }

    public ToscaType? Parent { get; set; }

    /// <summary>
    /// Whether this type or an ancestor names a parent that did not resolve (unknown, or a cycle): its error is reported at the
    /// derivation. Always false for data types, whose parent may be a primitive type that has no <see cref="Parent"/>.
    /// </summary>
    public bool HasBrokenDerivation
    {
        get
        {
            var seen = new HashSet<ToscaType>();
            for (var type = this; type is not null && seen.Add(type); type = type.Parent)
            {
                if (type.DerivedFrom is not null && type.Parent is null && type.Kind != TypeKind.Data)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public string? Description { get; set; }

    public bool IsBuiltIn { get; init; }

    /// <summary>The definition as written, to tell whether a second definition of the same name agrees with it.</summary>
    public YNode? Definition { get; init; }

    /// <summary>Node types: artifacts their templates get (TOSCA 1.3 3.7.3), by name.</summary>
    public Dictionary<string, Topology.ArtifactDefinition> Artifacts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, PropertyDefinition> Properties { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, PropertyDefinition> Attributes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CapabilityDefinition> Capabilities { get; } = new(StringComparer.Ordinal);

    public List<RequirementDefinition> Requirements { get; } = [];

    public InterfaceSet Interfaces { get; } = [];

    /// <summary>Interface types: operations and notifications.</summary>
    public Dictionary<string, OperationDefinition> Operations { get; } = new(StringComparer.Ordinal);

    /// <summary>Interface types: inputs common to all operations.</summary>
    public Dictionary<string, ParameterNode> InterfaceInputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Data types: constraints on the value (for types derived from primitives).</summary>
    public List<Constraint> Constraints { get; } = [];

    /// <summary>Data types derived from list or map: the entry schema.</summary>
    public Schema? EntrySchema { get; set; }

    /// <summary>Relationship types: valid_target_types; capability types: valid_source_types; groups: members; policies: targets.</summary>
    public List<string> ValidTypes { get; } = [];

    /// <summary>Where <see cref="ValidTypes"/> is written, when the type writes it.</summary>
    public SourceLocation? ValidTypesLocation { get; set; }

    public bool IsDerivedFrom(string name)
    {
        for (var t = this; t is not null; t = t.Parent)
        {
            if (string.Equals(t.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsDerivedFrom(ToscaType other) => IsDerivedFrom(other.Name);

    /// <summary>The chain from this type up to its root.</summary>
    public IEnumerable<ToscaType> Ancestry()
    {
        for (var t = this; t is not null; t = t.Parent)
        {
            yield return t;
        }
    }

    public override string ToString() => Name;
}
