using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Parsing;

/// <summary>A YAML node that remembers where it was written. Aliases share the node they refer to.</summary>
internal abstract class YNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>The number of nodes this one stands for once every alias is expanded (itself included).</summary>
    public long ExpandedSize { get; set; } = 1;

    /// <summary>How much text this node stands for once every alias is expanded: its scalars' and keys' characters, plus one per node.</summary>
    public long ExpandedText { get; set; } = 1;

    /// <summary>A short description of the node's shape for messages ("a map", "a list", "the string 'x'").</summary>
    public abstract string Describe();
}

/// <summary>How a scalar's text resolves under YAML's core schema.</summary>
internal enum ScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    Null,
}

/// <summary>A scalar: its text as written and what it resolves to.</summary>
internal sealed class YScalar : YNode
{
    public YScalar(SourceLocation location, string text, ScalarKind kind, bool isPlain)
        : base(location)
    {
        Text = text;
        Kind = kind;
        IsPlain = isPlain;
        ExpandedText = 1 + text.Length;
    }

    public string Text { get; }

    public ScalarKind Kind { get; private set; }

    /// <summary>Whether it was written without quotes (plain style).</summary>
    public bool IsPlain { get; }

    /// <summary>The value of a boolean scalar: <c>true</c> for true (any case), and for YAML 1.1's yes and on once read as one.</summary>
    public bool BooleanValue => Kind == ScalarKind.Boolean && (Text.Equals("true", StringComparison.OrdinalIgnoreCase)
        || (ScalarResolver.TryGetYaml11Boolean(Text, out var value) && value));

    /// <summary>
    /// Whether this is a plain scalar that YAML 1.2 reads as text but YAML 1.1 (PyYAML, so tosca-parser) as a boolean:
    /// <c>yes</c>, <c>no</c>, <c>on</c>, <c>off</c>, any case.
    /// </summary>
    public bool IsYaml11Boolean => Kind == ScalarKind.String && IsPlain && ScalarResolver.TryGetYaml11Boolean(Text, out _);

    /// <summary>
    /// Reads a YAML 1.1 boolean (<see cref="IsYaml11Boolean"/>) as the boolean it stands for, where TOSCA expects a boolean, so that
    /// the plan carries the value tools written for YAML 1.1 meant. Aliases share the node: they all become the boolean, as in YAML 1.1.
    /// </summary>
    public void ReadAsYaml11Boolean()
    {
        if (IsYaml11Boolean)
        {
            Kind = ScalarKind.Boolean;
        }
    }

    public bool IsNull => Kind == ScalarKind.Null;

    public override string Describe() => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.String => $"the string \"{Text}\"",
        ScalarKind.Boolean => $"the boolean {Text}",
        _ => $"the number {Text}",
    };

    public override string ToString() => Text;
}

/// <summary>A mapping, keeping the order of its keys.</summary>
internal sealed class YMapping(SourceLocation location) : YNode(location)
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<YScalar, YNode>> _entries = [];

    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries => _entries;

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(static e => e.Key.Text);

    /// <summary>Adds an entry; returns false if the key is already present.</summary>
    public bool TryAdd(YScalar key, YNode value)
    {
        if (!_index.TryAdd(key.Text, _entries.Count))
        {
            return false;
        }

        _entries.Add(new(key, value));
        return true;
    }

    public YNode? this[string key] => _index.TryGetValue(key, out var i) ? _entries[i].Value : null;

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public YScalar? KeyNode(string key) => _index.TryGetValue(key, out var i) ? _entries[i].Key : null;

    public override string Describe() => "a map";
}

/// <summary>A sequence.</summary>
internal sealed class YSequence(SourceLocation location, List<YNode> items) : YNode(location)
{
    public IReadOnlyList<YNode> Items { get; } = items;

    public override string Describe() => "a list";
}
