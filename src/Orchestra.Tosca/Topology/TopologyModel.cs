using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Topology;

/// <summary>A node template as written, with its type once resolved.</summary>
internal sealed class NodeTemplate(string name, SourceLocation location, int index)
{
    public string Name { get; } = name;

    public SourceLocation Location { get; } = location;

    /// <summary>The position in the template, for stable ordering.</summary>
    public int Index { get; } = index;

    public string? TypeName { get; set; }

    public SourceLocation TypeLocation { get; set; }

    public ToscaType? Type { get; set; }

    public string? Description { get; set; }

    public YMapping? Properties { get; set; }

    public YMapping? Attributes { get; set; }

    public Dictionary<string, CapabilityAssignment> Capabilities { get; } = new(StringComparer.Ordinal);

    public List<RequirementAssignment> Requirements { get; } = [];

    public InterfaceSet Interfaces { get; set; } = [];

    public Dictionary<string, ArtifactDefinition> Artifacts { get; } = new(StringComparer.Ordinal);

    /// <summary>The file this template is in (implementation paths are relative to it).</summary>
    public required string File { get; init; }

    public override string ToString() => Name;
}

/// <summary>Property and attribute values assigned to a capability of a node template.</summary>
internal sealed record CapabilityAssignment(string Name, YMapping? Properties, YMapping? Attributes, SourceLocation Location);

/// <summary>An artifact of a node template, or of a node type (<paramref name="DefinedIn"/>: the type's file, which its path is relative to).</summary>
internal sealed record ArtifactDefinition(string Name, string? Type, string? File, string? Repository, SourceLocation Location, string? DefinedIn = null);

/// <summary>A requirement assignment, short or long form, with what it resolves to.</summary>
internal sealed class RequirementAssignment(string name, SourceLocation location)
{
    public string Name { get; } = name;

    public SourceLocation Location { get; } = location;

    /// <summary>A node template name or a node type name.</summary>
    public string? Node { get; set; }

    public SourceLocation NodeLocation { get; set; }

    public string? Capability { get; set; }

    /// <summary>A relationship template name or a relationship type name.</summary>
    public string? Relationship { get; set; }

    public SourceLocation RelationshipLocation { get; set; }

    public YMapping? RelationshipProperties { get; set; }

    public InterfaceSet? RelationshipInterfaces { get; set; }

    public YNode? NodeFilter { get; set; }

    // Resolution results.
    public RequirementDefinition? Definition { get; set; }

    public NodeTemplate? Target { get; set; }

    public ToscaType? RelationshipType { get; set; }

    public RelationshipTemplate? RelationshipTemplate { get; set; }
}

/// <summary>A named relationship template.</summary>
internal sealed class RelationshipTemplate(string name, SourceLocation location)
{
    public string Name { get; } = name;

    public SourceLocation Location { get; } = location;

    public string? TypeName { get; set; }

    public ToscaType? Type { get; set; }

    public YMapping? Properties { get; set; }

    public YMapping? Attributes { get; set; }

    public InterfaceSet Interfaces { get; set; } = [];

    public required string File { get; init; }
}

/// <summary>A group or a policy: a type, properties, and the templates it applies to.</summary>
internal sealed class GroupOrPolicy(string name, SourceLocation location, bool isPolicy)
{
    public string Name { get; } = name;

    public SourceLocation Location { get; } = location;

    public bool IsPolicy { get; } = isPolicy;

    public string? TypeName { get; set; }

    public SourceLocation TypeLocation { get; set; }

    public ToscaType? Type { get; set; }

    public YMapping? Properties { get; set; }

    /// <summary>Group members or policy targets, by name.</summary>
    public List<YScalar> Targets { get; } = [];

    /// <summary>Policies: the names of their triggers (checked for shape only: Orchestra does not run them).</summary>
    public List<YScalar> Triggers { get; } = [];
}

/// <summary>A topology output.</summary>
internal sealed record OutputDefinition(string Name, YNode? Value, string? Description, SourceLocation Location);

/// <summary>The topology of the main service template, with the types it sees.</summary>
internal sealed class Topology
{
    public required string File { get; init; }

    public string? Version { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, PropertyDefinition> Inputs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, NodeTemplate> NodeTemplates { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RelationshipTemplate> RelationshipTemplates { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, GroupOrPolicy> Groups { get; } = new(StringComparer.Ordinal);

    public List<GroupOrPolicy> Policies { get; } = [];

    public List<OutputDefinition> Outputs { get; } = [];

    public YMapping? SubstitutionMappings { get; set; }

    public YMapping? Workflows { get; set; }

    /// <summary>Where the <c>workflows</c> key is, for the warning that says the section is not run.</summary>
    public SourceLocation WorkflowsLocation { get; set; }
}
