using System.Text.RegularExpressions;

namespace Orchestra.Tosca.Validation;

/// <summary>A TOSCA version: <c>major.minor[.fix[.qualifier[-build]]]</c>.</summary>
internal readonly partial record struct ToscaVersion(int Major, int Minor, int Fix, string Qualifier, int Build) : IComparable<ToscaVersion>, IComparable
{
    public static bool TryParse(string text, out ToscaVersion version)
    {
        version = default;
        var m = Grammar().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }

        version = new ToscaVersion(
            int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            m.Groups[3].Success ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
            m.Groups[4].Success ? m.Groups[4].Value : string.Empty,
            m.Groups[5].Success ? int.Parse(m.Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        return true;
    }

    public int CompareTo(object? obj) => obj is ToscaVersion other ? CompareTo(other) : 1;

    public int CompareTo(ToscaVersion other)
    {
        var c = Major.CompareTo(other.Major);
        c = c != 0 ? c : Minor.CompareTo(other.Minor);
        c = c != 0 ? c : Fix.CompareTo(other.Fix);
        c = c != 0 ? c : string.CompareOrdinal(Qualifier, other.Qualifier);
        return c != 0 ? c : Build.CompareTo(other.Build);
    }

    [GeneratedRegex(@"^(\d+)\.(\d+)(?:\.(\d+)(?:\.(\w+)(?:-(\d+))?)?)?$")]
    private static partial Regex Grammar();
}
