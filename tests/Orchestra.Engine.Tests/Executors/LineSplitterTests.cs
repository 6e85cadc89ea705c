using System.Text;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Executors.Internal;

namespace Orchestra.Engine.Tests.Executors;

[Trait("Category", "Unit")]
public sealed class LineSplitterTests
{
    private readonly List<string> _lines = [];

    private LineSplitter Splitter(int maxChars = 4096) => new(OutputStream.Stderr, (stream, line) =>
    {
        Assert.Equal(OutputStream.Stderr, stream);
        _lines.Add(line);
    }, maxChars);

    [Fact]
    public void Write_LinesAndCharactersSplitAcrossChunks_ComeOutWhole()
    {
        var splitter = Splitter();
        var bytes = Encoding.UTF8.GetBytes("héllo\r\nwörld\nlast");
        foreach (var b in bytes)
        {
            splitter.Write([b]);
        }

        Assert.Equal(["héllo", "wörld"], _lines);
        splitter.Complete();
        Assert.Equal(["héllo", "wörld", "last"], _lines);
    }

    [Fact]
    public void Write_ALineLongerThanTheLimit_ComesInPieces()
    {
        var splitter = Splitter(maxChars: 100);
        splitter.Write(Encoding.UTF8.GetBytes(new string('x', 250) + "\n"));

        Assert.Equal([100, 100, 50], _lines.Select(l => l.Length));
    }

    [Fact]
    public void Write_AListenerThatThrows_DoesNotStopTheSplitting()
    {
        var splitter = new LineSplitter(OutputStream.Stdout, (_, line) =>
        {
            _lines.Add(line);
            throw new InvalidOperationException("listener bug");
        }, 100);

        splitter.Write("a\nb\n"u8);

        Assert.Equal(["a", "b"], _lines);
    }
}
