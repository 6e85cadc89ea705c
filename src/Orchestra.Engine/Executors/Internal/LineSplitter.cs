using System.Text;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// Turns the chunks read from a pipe into lines for a live listener: decodes UTF-8 across chunk boundaries (invalid bytes become
/// U+FFFD), strips the newline (and a <c>\r</c> before it), and passes on a line longer than <c>maxChars</c> in pieces.
/// </summary>
/// <remarks>Not thread-safe: one per stream, used by that stream's drain only.</remarks>
internal sealed class LineSplitter(OutputStream stream, Action<OutputStream, string> onLine, int maxChars)
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[1024];

    public void Write(ReadOnlySpan<byte> data)
    {
        var needed = _decoder.GetCharCount(data, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[needed];
        }

        var count = _decoder.GetChars(data, _chars, flush: false);
        foreach (var c in _chars.AsSpan(0, count))
        {
            if (c == '\n')
            {
                Emit();
                continue;
            }

            _line.Append(c);
            if (_line.Length >= maxChars)
            {
                Emit();
            }
        }
    }

    /// <summary>Passes on the last line, if it had no newline.</summary>
    public void Complete()
    {
        var count = _decoder.GetChars([], _chars, flush: true);
        _line.Append(_chars, 0, count);
        if (_line.Length > 0)
        {
            Emit();
        }
    }

    private void Emit()
    {
        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        var text = _line.ToString();
        _line.Clear();
        try
        {
            onLine(stream, text);
        }
#pragma warning disable CA1031 // A listener's bug must not stop the pipe from being drained (the process would block on a full pipe).
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
