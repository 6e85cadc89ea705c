namespace Orchestra.Tosca.Diagnostics;

/// <summary>Finds the closest known name to a misspelled one, for "did you mean" suggestions.</summary>
internal static class Suggestions
{
    /// <summary>Returns <c>did you mean 'x'?</c> for the closest candidate, or null when none is close.</summary>
    public static string? DidYouMean(string name, IEnumerable<string> candidates)
    {
        var best = Closest(name, candidates);
        return best is null ? null : $"did you mean '{best}'?";
    }

    // A typo: this many edits or fewer beat a truncated name.
    private const int TypoDistance = 2;

    // A truncated or extended name is suggested only when the part written is this long and at least half the other.
    private const int MinPrefixLength = 6;

    /// <summary>
    /// The closest candidate: within an edit distance of about a third of the name's length, or, when no candidate is a typo
    /// away (<see cref="TypoDistance"/> edits), one that the name truncates or extends (<c>tosca_definitions</c> for
    /// <c>tosca_definitions_version</c>).
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        string? prefixed = null;
        var limit = Math.Max(2, name.Length / 3);
        foreach (var candidate in candidates)
        {
            if (IsTruncation(name, candidate) && (prefixed is null || Math.Abs(candidate.Length - name.Length) < Math.Abs(prefixed.Length - name.Length)))
            {
                prefixed = candidate;
            }

            if (Math.Abs(candidate.Length - name.Length) > limit)
            {
                continue;
            }

            var d = Distance(name, candidate);
            if (d < bestDistance && d <= limit)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return prefixed is not null && bestDistance > TypoDistance ? prefixed : best;
    }

    private static bool IsTruncation(string name, string candidate)
    {
        var (shorter, longer) = name.Length <= candidate.Length ? (name, candidate) : (candidate, name);
        return shorter.Length >= MinPrefixLength && shorter.Length * 2 >= longer.Length && shorter.Length < longer.Length
            && longer.StartsWith(shorter, StringComparison.OrdinalIgnoreCase);
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
