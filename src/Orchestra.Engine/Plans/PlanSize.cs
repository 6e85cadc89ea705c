using System.Text.Json;
using Orchestra.Actors.Persistence;

namespace Orchestra.Engine.Plans;

/// <summary>Measures plans as the JSON the journal writes, without holding that JSON, and giving up at a limit.</summary>
internal static class PlanSize
{
    // The journal's settings, but deep enough for any value a plan can hold: a plan nested too deeply to journal is measured all the
    // same, and PlanValidator reports its depth.
    private static readonly JsonSerializerOptions Options = new(EventSerializer.DefaultJsonOptions) { MaxDepth = 1000 };

    /// <summary>The size of <paramref name="value"/> in UTF-8 bytes, or <see langword="null"/> once it exceeds <paramref name="limit"/>.</summary>
    public static long? Measure<T>(T value, long limit)
    {
        var counter = new CountingStream(limit);
        try
        {
            JsonSerializer.Serialize(counter, value, Options);
        }
        catch (LimitReachedException)
        {
            return null;
        }

        return counter.Length;
    }

    private sealed class LimitReachedException : Exception
    {
    }

    // A write-only stream that counts what it is given and throws once past the limit, so measuring a huge plan stops early.
    private sealed class CountingStream(long limit) : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            if (_length > limit)
            {
                throw new LimitReachedException();
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
