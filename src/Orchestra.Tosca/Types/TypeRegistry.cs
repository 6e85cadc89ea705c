using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;

namespace Orchestra.Tosca.Types;

/// <summary>All the types a compilation sees: normative, Orchestra's, imported and local, by kind and name.</summary>
internal sealed partial class TypeRegistry
{
    private static readonly HashSet<string> PrimitiveNames = new(StringComparer.Ordinal)
    {
        "string", "integer", "float", "boolean", "timestamp", "null", "version", "range", "list", "map",
        "scalar-unit.size", "scalar-unit.time", "scalar-unit.frequency", "scalar-unit.bitrate", "any",
    };

    private static readonly Dictionary<TypeKind, string> NormativePrefixes = new()
    {
        [TypeKind.Data] = "tosca.datatypes.",
        [TypeKind.Artifact] = "tosca.artifacts.",
        [TypeKind.Capability] = "tosca.capabilities.",
        [TypeKind.Interface] = "tosca.interfaces.",
        [TypeKind.Relationship] = "tosca.relationships.",
        [TypeKind.Node] = "tosca.nodes.",
        [TypeKind.Group] = "tosca.groups.",
        [TypeKind.Policy] = "tosca.policies.",
    };

    private readonly Dictionary<TypeKind, Dictionary<string, ToscaType>> _types = [];
    private readonly Dictionary<TypeKind, Dictionary<string, ToscaType>> _aliases = [];
    private readonly Dictionary<ToscaType, Flattened> _flattened = [];

    public TypeRegistry()
    {
        foreach (var kind in Enum.GetValues<TypeKind>())
        {
            _types[kind] = new(StringComparer.Ordinal);
            _aliases[kind] = new(StringComparer.Ordinal);
        }
    }

    public static bool IsPrimitive(string name) => PrimitiveNames.Contains(name);

    public IEnumerable<ToscaType> All(TypeKind kind) => _types[kind].Values;

    public IEnumerable<string> Names(TypeKind kind) => _types[kind].Keys.Concat(_aliases[kind].Keys);

    /// <summary>Adds a type; a second definition from a different file is an error, a built-in one is replaced.</summary>
    public void Add(ToscaType type, DiagnosticBag diagnostics)
    {
        var types = _types[type.Kind];
        if (types.TryGetValue(type.Name, out var existing))
        {
            if (ReferenceEquals(existing, type) || existing.Location == type.Location)
            {
                return;
            }

            // The same file reached by two paths, or two copies of one definition: the first stands.
            if (!existing.IsBuiltIn && existing.Definition is { } first && type.Definition is { } second && YNodeEquality.SameContent(first, second))
            {
                return;
            }

            if (!existing.IsBuiltIn)
            {
                diagnostics.Error(ErrorCodes.DuplicateType, type.Location,
                    $"{KindName(type.Kind)} '{type.Name}' is already defined at {existing.Location}");
                return;
            }
        }

        types[type.Name] = type;
    }

    /// <summary>Makes <paramref name="alias"/> another name for <paramref name="type"/> (namespace prefixes, short names).</summary>
    public void AddAlias(string alias, ToscaType type)
    {
        if (!_types[type.Kind].ContainsKey(alias))
        {
            _aliases[type.Kind].TryAdd(alias, type);
        }
    }

    /// <summary>Registers the short names of the built-in types (Compute, PortDef, Standard, ...).</summary>
    public void AddShortNames()
    {
        foreach (var (kind, prefix) in NormativePrefixes)
        {
            // Longer suffixes first so that "BlockStorage" goes to tosca.nodes.BlockStorage, not Storage.BlockStorage.
            var candidates = _types[kind].Values
                .Where(t => t.IsBuiltIn && t.Name.StartsWith(prefix, StringComparison.Ordinal))
                .SelectMany(t => Suffixes(t.Name[prefix.Length..]).Select((s, i) => (Short: s, Rank: i, Type: t)))
                .OrderBy(c => c.Rank)
                .ThenBy(c => c.Type.Name.Length);
            foreach (var (shortName, _, type) in candidates)
            {
                AddAlias(shortName, type);
            }
        }

        static IEnumerable<string> Suffixes(string name)
        {
            yield return name;
            for (var i = name.IndexOf('.', StringComparison.Ordinal); i >= 0; i = name.IndexOf('.', i + 1))
            {
                yield return name[(i + 1)..];
            }
        }
    }

    public ToscaType? Find(TypeKind kind, string name)
    {
        if (_types[kind].TryGetValue(name, out var type) || _aliases[kind].TryGetValue(name, out type))
        {
            return type;
        }

        return name.StartsWith("tosca:", StringComparison.Ordinal) ? Find(kind, name["tosca:".Length..]) : null;
    }

    /// <summary>Finds a type or reports it unknown (with the closest known name).</summary>
    public ToscaType? Resolve(TypeKind kind, string name, SourceLocation location, DiagnosticBag diagnostics, string usedFor)
    {
        var type = Find(kind, name);
        if (type is null)
        {
            diagnostics.Error(ErrorCodes.UnknownType, location, $"{usedFor} names {KindName(kind)} '{name}', which is not defined",
                Suggestions.DidYouMean(name, Names(kind)));
        }

        return type;
    }

    /// <summary>Whether a data type name is known (a primitive or a data type).</summary>
    public bool IsKnownDataType(string name) => IsPrimitive(name) || Find(TypeKind.Data, name) is not null;

    /// <summary>Resolves every derived_from and reports unknown parents and cycles.</summary>
    public void Link(DiagnosticBag diagnostics)
    {
        foreach (var kind in Enum.GetValues<TypeKind>())
        {
            foreach (var type in _types[kind].Values)
            {
                if (type.DerivedFrom is not { } parentName || type.Parent is not null)
                {
                    continue;
                }

                if (kind == TypeKind.Data && IsPrimitive(parentName))
                {
                    continue;
                }

                var parent = Find(kind, parentName);
                if (parent is null)
                {
                    diagnostics.Error(ErrorCodes.UnknownType, type.DerivedFromLocation,
                        $"{KindName(kind)} '{type.Name}' derives from {KindName(kind)} '{parentName}', which is not defined",
                        Suggestions.DidYouMean(parentName, Names(kind)));
                    continue;
                }

                type.Parent = parent;
            }
        }

        foreach (var kind in Enum.GetValues<TypeKind>())
        {
            foreach (var type in _types[kind].Values)
            {
                var seen = new List<ToscaType>();
                for (var t = type; t is not null; t = t.Parent)
                {
                    if (seen.Contains(t))
                    {
                        var cycle = seen.SkipWhile(s => s != t).Select(s => s.Name).Append(t.Name);
                        diagnostics.Error(ErrorCodes.DerivationCycle, type.DerivedFromLocation,
                            $"{KindName(kind)} '{type.Name}' derives from itself: {string.Join(" -> ", cycle)}");
                        type.Parent = null;
                        break;
                    }

                    seen.Add(t);
                }
            }
        }

        CheckRefinements(diagnostics);
    }

    /// <summary>The primitive a data type ultimately derives from, or null for a complex data type.</summary>
    public string? PrimitiveBase(string typeName)
    {
        if (IsPrimitive(typeName))
        {
            return typeName;
        }

        for (var t = Find(TypeKind.Data, typeName); t is not null; t = t.Parent)
        {
            if (t.DerivedFrom is { } d && IsPrimitive(d))
            {
                return d;
            }
        }

        return null;
    }

    public static string KindName(TypeKind kind) => kind switch
    {
        TypeKind.Data => "data type",
        TypeKind.Artifact => "artifact type",
        TypeKind.Capability => "capability type",
        TypeKind.Interface => "interface type",
        TypeKind.Relationship => "relationship type",
        TypeKind.Node => "node type",
        TypeKind.Group => "group type",
        _ => "policy type",
    };
}
