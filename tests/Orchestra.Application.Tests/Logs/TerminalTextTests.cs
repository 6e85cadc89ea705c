using Orchestra.Application.Logs;

namespace Orchestra.Application.Tests.Logs;

[Trait("Category", "Unit")]
public sealed class TerminalTextTests
{
    [Fact]
    public void Neutralise_PlainText_IsUnchanged()
    {
        const string Line = "hello\twörld 100% ✓";
        Assert.Same(Line, TerminalText.Neutralise(Line));
    }

    [Fact]
    public void Neutralise_EscapeSequencesAndControls_AreShownNotObeyed()
    {
        Assert.Equal("^[[2J^[]0;pwned^G done^M", TerminalText.Neutralise("\u001b[2J\u001b]0;pwned\u0007 done\r"));
        Assert.Equal("a^?b<U+009B>31m", TerminalText.Neutralise("a\u007fb\u009b31m"));
    }

    [Fact]
    public void Neutralise_BidirectionalOverrides_AreShown() =>
        Assert.Equal("admin<U+202E>txt.exe", TerminalText.Neutralise("admin\u202etxt.exe"));
}
