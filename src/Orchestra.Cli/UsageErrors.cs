using System.CommandLine;
using System.CommandLine.Parsing;

namespace Orchestra.Cli;

/// <summary>
/// Says what is wrong with a command line the way git and kubectl do: an unknown command with the list of commands, an unknown
/// option named as the culprit (not the value after it), each with the closest known name when one is near.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The lines to print on stderr for a command line that did not parse.</summary>
    public static IEnumerable<string> Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = string.Join(' ', CommandPath(parse));
        var unmatched = parse.UnmatchedTokens;
        var unknownOptions = unmatched.Where(t => t.StartsWith('-')).ToArray();
        var atRoot = command is RootCommand;
        foreach (var option in unknownOptions)
        {
            yield return $"orchestra: unknown option '{option}' for '{path}'{Suggest(option, OptionNames(parse))}.";
        }

        // A word after an unknown option is most likely its value: naming it too would only blur which token is wrong.
        if (unknownOptions.Length == 0 && unmatched.Count > 0)
        {
            yield return atRoot
                ? $"orchestra: unknown command '{unmatched[0]}'{Suggest(unmatched[0], command.Subcommands.Select(c => c.Name))}."
                : $"orchestra: unexpected argument '{unmatched[0]}' for '{path}'.";
        }

        foreach (var error in parse.Errors)
        {
            var aboutUnmatched = unmatched.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            var noCommand = atRoot && unmatched.Count > 0;
            if (!aboutUnmatched && !noCommand)
            {
                yield return $"orchestra: {error.Message}";
            }
        }

        if (atRoot)
        {
            yield return "Commands:";
            var width = command.Subcommands.Max(c => c.Name.Length);
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                yield return $"  {sub.Name.PadRight(width)}  {FirstSentence(sub.Description)}";
            }
        }

        yield return $"Run '{path} --help' for usage.";
    }

    private static IEnumerable<string> OptionNames(ParseResult parse)
    {
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            foreach (var option in result.Command.Options.Where(o => result == parse.CommandResult || o.Recursive))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    // The nearest name within two edits (or a third of its length): "deplyo" -> "deploy", "--nmae" -> "--name".
    private static string Suggest(string token, IEnumerable<string> names)
    {
        var typed = token.Split('=', 2)[0];
        var best = names.Distinct(StringComparer.Ordinal)
            .Select(n => (Name: n, Distance: Distance(typed, n)))
            .Where(c => c.Distance <= Math.Max(2, typed.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? string.Empty : $" (did you mean '{best.Name}'?)";
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost one each.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string FirstSentence(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? text[..(end + 1)] : text;
    }

    public static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Push(result.Command is RootCommand ? "orchestra" : result.Command.Name);
        }

        return names;
    }
}
