using System.Text;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>Keeps the last <c>capacity</c> bytes written to it, so a process flooding a pipe costs bounded memory.</summary>
internal sealed class TailBuffer(int capacity)
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _next;
    private int _count;
    private long _total;

    public long TotalBytes
    {
        get
        {
            lock (_buffer)
            {
                return _total;
            }
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_buffer)
        {
            _total += data.Length;
            if (data.Length > _buffer.Length)
            {
                data = data[^_buffer.Length..];
            }

            var first = Math.Min(data.Length, _buffer.Length - _next);
            data[..first].CopyTo(_buffer.AsSpan(_next));
            data[first..].CopyTo(_buffer);
            _next = (_next + data.Length) % _buffer.Length;
            _count = Math.Min(_buffer.Length, _count + data.Length);
        }
    }

    public string Text(int maxChars)
    {
        byte[] tail;
        bool truncated;
        lock (_buffer)
        {
            var start = (_next - _count + _buffer.Length) % _buffer.Length;
            tail = new byte[_count];
            var first = Math.Min(_count, _buffer.Length - start);
            _buffer.AsSpan(start, first).CopyTo(tail);
            _buffer.AsSpan(0, _count - first).CopyTo(tail.AsSpan(first));
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
}
