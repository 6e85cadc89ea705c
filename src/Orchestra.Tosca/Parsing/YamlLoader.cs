using System.Text;
using Orchestra.Engine.Files;
using Orchestra.Tosca.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Orchestra.Tosca.Parsing;

/// <summary>
/// Reads YAML text into <see cref="YNode"/> trees with positions, straight from the parser's events, so that
/// nesting depth and alias expansion are bounded before anything large is built.
/// </summary>
internal static class YamlLoader
{
    private const string MergeTag = "tag:yaml.org,2002:merge";

    /// <summary>
    /// Reads a file through <see cref="ToscaCompilerOptions.FileAccess"/>: only an allowed, regular file, never more than
    /// <see cref="ToscaCompilerOptions.MaxFileBytes"/>; then rejects binary content.
    /// </summary>
    public static YNode? LoadFile(string path, string displayPath, ToscaCompilerOptions options, DiagnosticBag diagnostics, SourceLocation? referencedFrom = null)
    {
        var where = referencedFrom ?? SourceLocation.StartOf(displayPath);
        var read = options.FileAccess.ReadFile(path, options.MaxFileBytes);
        switch (read.Status)
        {
            case FileReadStatus.Read:
                return LoadBytes(read.Content!, displayPath, options, diagnostics);
            case FileReadStatus.NotFound:
                diagnostics.Error(ErrorCodes.FileUnreadable, where, $"file '{displayPath}' does not exist");
                break;
            case FileReadStatus.NotAllowed:
                diagnostics.Error(ErrorCodes.PathNotAllowed, where, $"file '{displayPath}' is outside {options.FileAccess.DescribeRoots()}; it was not read");
                break;
            case FileReadStatus.NotRegularFile:
                diagnostics.Error(ErrorCodes.FileUnreadable, where, $"file '{displayPath}' is not a regular file ({read.Kind}); templates are read from regular files only");
                break;
            case FileReadStatus.TooLarge:
                var size = read.Length is { } length ? $"is {length} bytes" : "holds";
                diagnostics.Error(ErrorCodes.FileTooLarge, SourceLocation.StartOf(displayPath),
                    $"file {size} more than the limit of {options.MaxFileBytes} bytes (ToscaCompilerOptions.MaxFileBytes)");
                break;
            default:
                diagnostics.Error(ErrorCodes.FileUnreadable, where, $"file '{displayPath}' cannot be read: {read.Error}");
                break;
        }

        return null;
    }

    /// <summary>Reads YAML from bytes (UTF-8, with or without a byte-order mark).</summary>
    public static YNode? LoadBytes(byte[] bytes, string displayPath, ToscaCompilerOptions options, DiagnosticBag diagnostics)
    {
        if (bytes.LongLength > options.MaxFileBytes)
        {
            diagnostics.Error(ErrorCodes.FileTooLarge, SourceLocation.StartOf(displayPath),
                $"file is {bytes.LongLength} bytes, more than the limit of {options.MaxFileBytes} bytes (ToscaCompilerOptions.MaxFileBytes)");
            return null;
        }

        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        if (span.IndexOf((byte)0) >= 0)
        {
            diagnostics.Error(ErrorCodes.NotToscaDocument, SourceLocation.StartOf(displayPath),
                "file is binary (it contains NUL bytes), not a YAML service template");
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Error(ErrorCodes.NotToscaDocument, SourceLocation.StartOf(displayPath),
                "file is not UTF-8 text, so it is not a YAML service template");
            return null;
        }

        return LoadText(text, displayPath, options, diagnostics);
    }

    /// <summary>Reads YAML text; returns the first document's root, or null after reporting why not.</summary>
    public static YNode? LoadText(string text, string displayPath, ToscaCompilerOptions options, DiagnosticBag diagnostics)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        try
        {
            return new Builder(displayPath, options, diagnostics).Build(new Parser(new StringReader(text)));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner && e.Message.StartsWith("(Line", StringComparison.Ordinal) ? inner.Message : e.Message;
            var at = new SourceLocation(displayPath, (int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column));
            diagnostics.Error(ErrorCodes.YamlSyntax, at, $"invalid YAML: {Clean(message)}");
            return null;
        }
        catch (LimitExceededException)
        {
            return null;
        }
    }

    private static string Clean(string message)
    {
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && i > 0 ? message[(i + 3)..] : message;
    }

    private sealed class LimitExceededException : Exception
    {
    }

    private sealed class Builder(string file, ToscaCompilerOptions options, DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, YNode> _anchors = new(StringComparer.Ordinal);
        private readonly Stack<Frame> _stack = new();
        private long _events;

        public YNode? Build(IParser parser)
        {
            YNode? root = null;
            var documents = 0;
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                if (++_events > options.MaxNodes)
                {
                    Fail(ErrorCodes.TooManyNodes, current.Start, $"document has more than {options.MaxNodes} YAML nodes (ToscaCompilerOptions.MaxNodes)");
                }

                switch (current)
                {
                    case DocumentStart:
                        documents++;
                        if (documents > 1)
                        {
                            diagnostics.Error(ErrorCodes.NotToscaDocument, At(current.Start),
                                "file contains several YAML documents; a service template is exactly one");
                            return null;
                        }

                        break;
                    case Scalar scalar:
                        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
                        var plain = scalar.Style == ScalarStyle.Plain;
                        var node = new YScalar(At(scalar.Start), scalar.Value, ScalarResolver.Resolve(scalar.Value, plain, tag), plain && tag is null);
                        if (tag == MergeTag)
                        {
                            node = new YScalar(node.Location, "<<", ScalarKind.String, true);
                        }

                        CheckText(node);
                        Anchor(scalar.Anchor, node);
                        root = Attach(node) ?? root;
                        break;
                    case AnchorAlias alias:
                        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            diagnostics.Error(ErrorCodes.UnknownAnchor, At(alias.Start), $"alias '*{alias.Value.Value}' refers to no anchor defined before it");
                            target = new YScalar(At(alias.Start), string.Empty, ScalarKind.Null, true);
                        }

                        root = Attach(target) ?? root;
                        break;
                    case MappingStart mapping:
                        Push(new Frame(new YMapping(At(mapping.Start)), mapping.Anchor), mapping.Start);
                        break;
                    case SequenceStart sequence:
                        Push(new Frame(new YSequence(At(sequence.Start), []), sequence.Anchor), sequence.Start);
                        break;
                    case MappingEnd or SequenceEnd:
                        var frame = _stack.Pop();
                        var done = frame.Complete();
                        if (done.ExpandedSize > options.MaxNodes)
                        {
                            Fail(ErrorCodes.TooManyNodes, current.Start,
                                $"document expands to more than {options.MaxNodes} YAML nodes through aliases (ToscaCompilerOptions.MaxNodes); it looks like an alias bomb");
                        }

                        CheckText(done);

                        Anchor(frame.AnchorName, done);
                        root = Attach(done) ?? root;
                        break;
                }
            }

            return root;
        }

        // A few aliases of one long string stand for megabytes while staying far under MaxNodes, and every value reaches the plan
        // expanded: the text is bounded too, at the node that crosses the limit, before anything expanded is built.
        private void CheckText(YNode node)
        {
            if (node.ExpandedText > options.MaxExpandedBytes)
            {
                diagnostics.Error(ErrorCodes.TooManyNodes, node.Location,
                    $"document stands for more than {options.MaxExpandedBytes} characters of text once its aliases are expanded (ToscaCompilerOptions.MaxExpandedBytes); this value alone stands for {node.ExpandedText}");
                throw new LimitExceededException();
            }
        }

        private void Push(Frame frame, Mark start)
        {
            if (_stack.Count >= options.MaxDepth)
            {
                Fail(ErrorCodes.TooDeep, start, $"maps and lists nest deeper than {options.MaxDepth} levels (ToscaCompilerOptions.MaxDepth)");
            }

            _stack.Push(frame);
        }

        private void Anchor(AnchorName anchor, YNode node)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = node;
            }
        }

        // Adds a finished node to the open container; returns it when it is the document's root.
        private YNode? Attach(YNode node)
        {
            if (_stack.Count == 0)
            {
                return node;
            }

            _stack.Peek().Add(node, diagnostics);
            return null;
        }

        private SourceLocation At(Mark mark) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Fail(string code, Mark mark, string message)
        {
            diagnostics.Error(code, At(mark), message);
            throw new LimitExceededException();
        }
    }

    private sealed class Frame(YNode node, AnchorName anchorName)
    {
        private readonly List<YNode> _items = [];
        private readonly List<YNode> _merges = [];
        private YScalar? _pendingKey;
        private bool _pendingMerge;

        public AnchorName AnchorName { get; } = anchorName;

        public void Add(YNode child, DiagnosticBag diagnostics)
        {
            if (node is YSequence)
            {
                _items.Add(child);
                return;
            }

            var mapping = (YMapping)node;
            if (_pendingKey is null && !_pendingMerge)
            {
                if (child is YScalar { Text: "<<", IsPlain: true } or YScalar { Text: "<<", Kind: ScalarKind.String, IsPlain: true })
                {
                    _pendingMerge = true;
                    return;
                }

                if (child is YScalar key)
                {
                    _pendingKey = key;
                }
                else
                {
                    diagnostics.Error(ErrorCodes.WrongShape, child.Location, $"a map key must be a string, not {child.Describe()}");
                    _pendingKey = new YScalar(child.Location, $"<{child.Describe()}>", ScalarKind.String, false);
                }

                return;
            }

            if (_pendingMerge)
            {
                _pendingMerge = false;
                _merges.Add(child);
                return;
            }

            var k = _pendingKey!;
            _pendingKey = null;
            if (!mapping.TryAdd(k, child))
            {
                diagnostics.Error(ErrorCodes.DuplicateKey, k.Location, $"key '{k.Text}' appears more than once in this map",
                    $"the first is at line {mapping.KeyNode(k.Text)!.Location.Line}");
            }
        }

        public YNode Complete()
        {
            if (node is YSequence)
            {
                var sequence = new YSequence(node.Location, _items);
                sequence.ExpandedSize = 1 + _items.Sum(static i => i.ExpandedSize);
                sequence.ExpandedText = 1 + _items.Sum(static i => i.ExpandedText);
                return sequence;
            }

            var mapping = (YMapping)node;
            // Merge keys: explicit keys win, then earlier merged maps win over later ones.
            foreach (var merge in _merges)
            {
                var sources = merge switch
                {
                    YMapping m => [m],
                    YSequence s => s.Items.OfType<YMapping>().ToList(),
                    _ => [],
                };
                foreach (var source in sources)
                {
                    foreach (var (key, value) in source.Entries)
                    {
                        mapping.TryAdd(key, value);
                    }
                }
            }

            mapping.ExpandedSize = 1 + mapping.Entries.Sum(static e => 1 + e.Value.ExpandedSize);
            mapping.ExpandedText = 1 + mapping.Entries.Sum(static e => e.Key.ExpandedText + e.Value.ExpandedText);
            return mapping;
        }
    }
}
