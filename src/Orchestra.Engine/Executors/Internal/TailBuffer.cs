using System.Text;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>Keeps the last <c>capacity</c> bytes written to it, so a process flooding a pipe costs bounded memory.</summary>
/// <remarks>
/// The buffer grows as data comes, up to its capacity, so an attempt that prints one line costs a small buffer, not the whole limit.
/// Thread-safe: the drain writes while the executor may read.
/// </remarks>
internal sealed class TailBuffer(int capacity)
{
    private const int InitialSize = 4096;
    private readonly Lock _lock = new();
    private byte[] _buffer = [];
    private int _next;
    private int _count;
    private long _total;

    public long TotalBytes
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _total += data.Length;
            if (data.Length > capacity)
            {
                data = data[^capacity..];
            }

            Grow(_count + data.Length);
            var first = Math.Min(data.Length, _buffer.Length - _next);
            data[..first].CopyTo(_buffer.AsSpan(_next));
            data[first..].CopyTo(_buffer);
            _next = (_next + data.Length) % _buffer.Length;
            _count = Math.Min(_buffer.Length, _count + data.Length);
        }
    }

    /// <summary>The kept end of the stream as at most <paramref name="maxLines"/> lines, or <see langword="null"/> if nothing was written.</summary>
    public OutputTail? Tail(int maxLines)
    {
        bool truncated;
        byte[] bytes;
        long total;
        lock (_lock)
        {
            if (_total == 0)
            {
                return null;
            }

            bytes = Snapshot();
            total = _total;
            truncated = _total > _count;
        }

        // Cut inside a character: drop its continuation bytes rather than decode them to replacement characters.
        var start = 0;
        while (truncated && start < bytes.Length && start < 3 && (bytes[start] & 0xC0) == 0x80)
        {
            start++;
        }

        var text = Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        // The newline before the last maxLines lines, if there are more lines than that.
        var cut = -1;
        var position = text.Length;
        for (var lines = 0; lines < maxLines; lines++)
        {
            cut = position > 0 ? text.LastIndexOf('\n', position - 1) : -1;
            if (cut < 0)
            {
                break;
            }

            position = cut;
        }

        if (cut >= 0)
        {
            text = text[(cut + 1)..];
            truncated = true;
        }

        return new OutputTail(text, total, truncated);
    }

    public string Text(int maxChars)
    {
        byte[] tail;
        bool truncated;
        lock (_lock)
        {
            tail = Snapshot();
            truncated = _total > _count;
        }

        var text = Encoding.UTF8.GetString(tail).Trim();
        if (text.Length > maxChars)
        {
            text = text[^maxChars..];
            truncated = true;
        }

        return truncated ? "..." + text : text;
    }

    private byte[] Snapshot()
    {
        var start = (_next - _count + _buffer.Length) % Math.Max(1, _buffer.Length);
        var tail = new byte[_count];
        var first = Math.Min(_count, _buffer.Length - start);
        _buffer.AsSpan(start, first).CopyTo(tail);
        _buffer.AsSpan(0, _count - first).CopyTo(tail.AsSpan(first));
        return tail;
    }

    private void Grow(int needed)
    {
        if (needed <= _buffer.Length || _buffer.Length >= capacity)
        {
            return;
        }

        var size = Math.Max(InitialSize, _buffer.Length);
        while (size < needed && size < capacity)
        {
            size *= 2;
        }

        var grown = new byte[Math.Min(size, capacity)];
        var kept = Snapshot();
        kept.CopyTo(grown, 0);
        _buffer = grown;
        _next = kept.Length % grown.Length;
        _count = kept.Length;
    }
}
