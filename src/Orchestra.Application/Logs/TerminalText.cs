using System.Globalization;
using System.Text;

namespace Orchestra.Application.Logs;

/// <summary>Makes what a script printed safe to write to a terminal.</summary>
/// <remarks>
/// A script's output is data, never trusted: written raw to a terminal, an escape sequence can move the cursor, rewrite earlier
/// lines, change the window title or worse. Every control character but tab is shown instead, in caret notation (<c>ESC</c> becomes
/// <c>^[</c>, <c>CR</c> <c>^M</c>, <c>DEL</c> <c>^?</c>), C1 controls and the bidirectional overrides (which can make a line read
/// differently from what it holds) as <c>&lt;U+XXXX&gt;</c>.
/// </remarks>
public static class TerminalText
{
    /// <summary>Neutralises the control characters of one line.</summary>
    /// <param name="line">The line, without its newline.</param>
    /// <returns>The line, printable.</returns>
    public static string Neutralise(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.Any(c => (c < ' ' && c != '\t') || IsSpecial(c)))
        {
            return line;
        }

        var text = new StringBuilder(line.Length + 8);
        foreach (var c in line)
        {
            if (c == '\t')
            {
                text.Append(c);
            }
            else if (c < ' ')
            {
                text.Append('^').Append((char)(c + '@'));
            }
            else if (c == '\u007f')
            {
                text.Append("^?");
            }
            else if (IsSpecial(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"<U+{(int)c:X4}>");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static bool IsSpecial(char c) =>
        c == '\u007f' || c is >= '\u0080' and <= '\u009f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';
}
