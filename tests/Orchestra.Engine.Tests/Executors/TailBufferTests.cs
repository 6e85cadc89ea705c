using System.Text;
using Orchestra.Engine.Executors.Internal;

namespace Orchestra.Engine.Tests.Executors;

[Trait("Category", "Unit")]
public sealed class TailBufferTests
{
    private static TailBuffer Written(int capacity, params string[] chunks)
    {
        var buffer = new TailBuffer(capacity);
        foreach (var chunk in chunks)
        {
            buffer.Write(Encoding.UTF8.GetBytes(chunk));
        }

        return buffer;
    }

    [Fact]
    public void Tail_NothingWritten_IsNull() => Assert.Null(new TailBuffer(1024).Tail(10));

    [Fact]
    public void Tail_WithinLimits_KeepsEverything_WithoutTheFinalNewline()
    {
        var tail = Written(1024, "one\n", "two\n").Tail(10)!;

        Assert.Equal("one\ntwo", tail.Text);
        Assert.Equal(8, tail.TotalBytes);
        Assert.False(tail.Truncated);
    }

    [Fact]
    public void Tail_MoreLinesThanTheLimit_KeepsTheLastLines_AndSaysSo()
    {
        var tail = Written(1024, string.Concat(Enumerable.Range(1, 50).Select(i => $"line {i}\n"))).Tail(3)!;

        Assert.Equal("line 48\nline 49\nline 50", tail.Text);
        Assert.True(tail.Truncated);
    }

    [Fact]
    public void Tail_ExactlyTheLineLimit_IsNotTruncated()
    {
        var tail = Written(1024, "\nb\n").Tail(2)!;

        Assert.Equal("\nb", tail.Text);
        Assert.False(tail.Truncated);
    }

    [Fact]
    public void Write_MoreThanTheCapacity_KeepsTheLastBytes_GrowingAsItGoes()
    {
        var buffer = new TailBuffer(5000);
        for (var i = 0; i < 1000; i++)
        {
            buffer.Write(Encoding.UTF8.GetBytes($"{i:D4}\n"));
        }

        var tail = buffer.Tail(10_000)!;

        Assert.Equal(5000, buffer.TotalBytes);
        Assert.False(tail.Truncated);
        buffer.Write(Encoding.UTF8.GetBytes("1000\n"));
        tail = buffer.Tail(10_000)!;
        Assert.True(tail.Truncated);
        Assert.StartsWith("0001\n", tail.Text, StringComparison.Ordinal);
        Assert.EndsWith("0999\n1000", tail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tail_CutInsideACharacter_DropsItsLeftoverBytes_AndInvalidBytesAreReplaced()
    {
        var buffer = new TailBuffer(301);
        buffer.Write(Encoding.UTF8.GetBytes(new string('é', 200)));
        buffer.Write([0xFF, (byte)'\n']);

        var tail = buffer.Tail(10)!;

        Assert.True(tail.Truncated);
        Assert.DoesNotContain('\uFFFD', tail.Text[..^1]);
        Assert.Equal('\uFFFD', tail.Text[^1]);
        Assert.Equal(150, tail.Text.Length);
    }
}
