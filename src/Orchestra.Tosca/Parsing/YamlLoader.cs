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

    // Each repair reads the whole text again. These bound that work: far more lines than a real file needs, and re-reads of
    // twice the largest file ToscaCompilerOptions.MaxFileBytes allows by default, whatever the file's size.
    private const int MaxFlowRepairs = 100;
    private const long MaxRepairedCharacters = 64L * 1024 * 1024;

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
    /// <remarks>
    /// Never throws for any text: YamlDotNet's own errors and anything else its reader throws become a located TOS002. A line
    /// inside a flow collection that is not indented past the key holding it (YAML 1.2 rejects it, PyYAML and so tosca-parser
    /// accept it, and the ETSI NFV SOL001 type files are written so) is indented and read again, with a warning.
    /// </remarks>
    public static YNode? LoadText(string text, string displayPath, ToscaCompilerOptions options, DiagnosticBag diagnostics)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var repairs = new List<FlowRepair>();
        while (true)
        {
            var attempt = new DiagnosticBag();
            var scanner = new Scanner(new StringReader(text));
            var builder = new Builder(displayPath, options, attempt);
            try
            {
                var root = builder.Build(new Parser(scanner));
                Report(repairs, attempt, diagnostics);
                return root;
            }
            catch (YamlException e)
            {
                var message = e.InnerException is { } inner && e.Message.StartsWith("(Line", StringComparison.Ordinal) ? inner.Message : e.Message;
                // Some scanner errors carry only the start of the construct they interrupt ("while scanning a mapping" at 1:1 for a
                // tab on line 5): the author must look where reading stopped, as PyYAML also says.
                var start = Original(displayPath, e.Start, repairs);
                var stopped = e.Start.Index == e.End.Index && scanner.CurrentPosition.Line > e.Start.Line;
                attempt.Error(ErrorCodes.YamlSyntax, stopped ? Original(displayPath, scanner.CurrentPosition, repairs) : start,
                    $"invalid YAML: {Clean(message)}" + (stopped ? $" (in what starts at {start.Line}:{start.Column})" : string.Empty));
            }
            catch (LimitExceededException)
            {
            }
            catch (InvalidOperationException) when (Repair(ref text, scanner.CurrentPosition, builder.OutermostFlow, repairs) is { } repair)
            {
                repairs.Add(repair);
                continue;
            }
#pragma warning disable CA1031 // The reader's own bugs (anything but YamlException) must not escape a compiler that never throws for its input.
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                var at = Original(displayPath, scanner.CurrentPosition, repairs);
                attempt.Error(ErrorCodes.YamlSyntax, at, builder.OutermostFlow is { } flow && e is InvalidOperationException
                    ? $"invalid YAML: this line is inside the {flow.Kind} opened at {flow.Line}:{flow.Column} but is not indented past the key that holds it (is a '{flow.Closer}' missing?)"
                    : "invalid YAML: the YAML reader cannot read past this point");
            }

            Report(repairs, attempt, diagnostics);
            return null;
        }
    }

    private static void Report(List<FlowRepair> repairs, DiagnosticBag attempt, DiagnosticBag diagnostics)
    {
        foreach (var repair in repairs)
        {
            diagnostics.Warning(ErrorCodes.YamlSyntax, repair.Location,
                $"this line continues the {repair.Flow.Kind} opened at {repair.Flow.Line}:{repair.Flow.Column} but is not indented past the key that holds it, " +
                "as YAML 1.2 requires; it is read as PyYAML reads it (indent the line to silence this)");
        }

        foreach (var diagnostic in attempt.Items)
        {
            diagnostics.Add(diagnostic);
        }
    }

    // YamlDotNet 16's scanner throws InvalidOperationException, reachably, only for a plain scalar's character inside a flow
    // collection left of the indentation it expects (its other one, "Not at a break", is guarded by every caller).
    // Indenting a line changes nothing when the line starts inside a flow collection: there, leading white space is not
    // indentation and is folded away, in plain and quoted scalars alike. The line starts inside one when only white space and
    // ',' precede the character the scanner refused (they do not open or close a collection). Indenting it one column past
    // the outermost open collection's '[' or '{' is enough: that is further right than the key that holds the collection.
    private static FlowRepair? Repair(ref string text, Mark at, FlowStart? flow, List<FlowRepair> repairs)
    {
        if (flow is null || repairs.Count >= MaxFlowRepairs || (repairs.Count + 1L) * text.Length > MaxRepairedCharacters
            || repairs.Exists(r => r.Location.Line == at.Line) || at.Index > text.Length)
        {
            return null;
        }

        var index = (int)at.Index;
        var lineStart = LineStart(text, index);
        if (text.AsSpan(lineStart, index - lineStart).IndexOfAnyExcept(" \t,") >= 0)
        {
            return null;
        }

        var padding = flow.Column - (index - lineStart);
        if (padding <= 0)
        {
            return null;
        }

        text = string.Concat(text.AsSpan(0, lineStart), new string(' ', padding), text.AsSpan(lineStart));
        return new FlowRepair(new SourceLocation(flow.File, (int)at.Line, (int)at.Column), padding, flow);
    }

    private static int LineStart(string text, int index) => text.AsSpan(0, index).LastIndexOfAny("\n\r\u0085\u2028\u2029") + 1;

    // A position in the repaired text, in the text as written: only repaired lines moved, and only to the right.
    private static SourceLocation Original(string file, Mark mark, List<FlowRepair> repairs)
    {
        var line = (int)Math.Max(1, mark.Line);
        var column = (int)Math.Max(1, mark.Column);
        if (repairs.Find(r => r.Location.Line == line) is { } repair)
        {
            column = Math.Max(1, column - repair.Padding);
        }

        return new SourceLocation(file, line, column);
    }

    private static string Clean(string message)
    {
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && i > 0 ? message[(i + 3)..] : message;
    }

    private sealed class LimitExceededException : Exception
    {
    }

    // Where a flow collection ('[' or '{') starts, as the parser reported it.
    private sealed record FlowStart(string File, int Line, int Column, bool IsMap)
    {
        public string Kind => IsMap ? "flow mapping '{'" : "flow sequence '['";

        public char Closer => IsMap ? '}' : ']';
    }

    private sealed record FlowRepair(SourceLocation Location, int Padding, FlowStart Flow);

    private sealed class Builder(string file, ToscaCompilerOptions options, DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, YNode> _anchors = new(StringComparer.Ordinal);
        private readonly Stack<Frame> _stack = new();
        private long _events;

        /// <summary>The outermost flow collection open at the parser's position, if any.</summary>
        public FlowStart? OutermostFlow => _stack.LastOrDefault(f => f.Flow is not null)?.Flow;

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
                        Push(new Frame(new YMapping(At(mapping.Start)), mapping.Anchor, mapping.Style == MappingStyle.Flow ? Flow(mapping.Start, isMap: true) : null), mapping.Start);
                        break;
                    case SequenceStart sequence:
                        Push(new Frame(new YSequence(At(sequence.Start), []), sequence.Anchor, sequence.Style == SequenceStyle.Flow ? Flow(sequence.Start, isMap: false) : null), sequence.Start);
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

        private FlowStart Flow(Mark mark, bool isMap) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), isMap);

        private SourceLocation At(Mark mark) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Fail(string code, Mark mark, string message)
        {
            diagnostics.Error(code, At(mark), message);
            throw new LimitExceededException();
        }
    }

    private sealed class Frame(YNode node, AnchorName anchorName, FlowStart? flow)
    {
        private readonly List<YNode> _items = [];
        private readonly List<YNode> _merges = [];
        private YScalar? _pendingKey;
        private bool _pendingMerge;

        public AnchorName AnchorName { get; } = anchorName;

        public FlowStart? Flow { get; } = flow;

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
