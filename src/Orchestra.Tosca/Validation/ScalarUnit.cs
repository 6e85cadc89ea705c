using System.Globalization;

namespace Orchestra.Tosca.Validation;

/// <summary>A TOSCA scalar-unit value, normalized to its base unit (bytes, seconds, hertz, bits per second).</summary>
internal readonly record struct ScalarUnit(double BaseValue, double Number, string Unit) : IComparable<ScalarUnit>, IComparable
{
    private static readonly (string Unit, double Factor)[] Size =
    [
        ("B", 1), ("kB", 1e3), ("KiB", 1024), ("MB", 1e6), ("MiB", 1048576), ("GB", 1e9), ("GiB", 1073741824),
        ("TB", 1e12), ("TiB", 1099511627776),
    ];

    private static readonly (string Unit, double Factor)[] Time =
        [("d", 86400), ("h", 3600), ("m", 60), ("s", 1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)];

    private static readonly (string Unit, double Factor)[] Frequency = [("Hz", 1), ("kHz", 1e3), ("MHz", 1e6), ("GHz", 1e9)];

    private static readonly (string Unit, double Factor)[] Bitrate =
    [
        ("bps", 1), ("Kbps", 1e3), ("Kibps", 1024), ("Mbps", 1e6), ("Mibps", 1048576), ("Gbps", 1e9), ("Gibps", 1073741824),
        ("Tbps", 1e12), ("Tibps", 1099511627776),

        // TOSCA 1.3 3.3.6.7 also counts in bytes per second: 8 bits each.
        ("Bps", 8), ("KBps", 8e3), ("KiBps", 8 * 1024d), ("MBps", 8e6), ("MiBps", 8 * 1048576d), ("GBps", 8e9), ("GiBps", 8 * 1073741824d),
        ("TBps", 8e12), ("TiBps", 8 * 1099511627776d),
    ];

    public static IReadOnlyList<string> UnitsOf(string type) => Table(type).Select(static u => u.Unit).ToList();

    /// <summary>Parses "10 GB" for the given scalar-unit type; units are case-insensitive except for bitrate.</summary>
    public static bool TryParse(string text, string type, out ScalarUnit value)
    {
        value = default;
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && (char.IsDigit(s[i]) || s[i] is '.' or '-' or '+' or 'e' or 'E') && !(s[i] is 'e' or 'E' && (i + 1 >= s.Length || !char.IsDigit(s[i + 1]) && s[i + 1] is not '-' and not '+')))
        {
            i++;
        }

        if (i == 0 || !double.TryParse(s.AsSpan(0, i), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var unit = s[i..].Trim();
        var comparison = type == "scalar-unit.bitrate" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var (u, factor) in Table(type))
        {
            if (string.Equals(u, unit, comparison))
            {
                value = new ScalarUnit(number * factor, number, u);
                return true;
            }
        }

        return false;
    }

    public int CompareTo(ScalarUnit other) => BaseValue.CompareTo(other.BaseValue);

    public int CompareTo(object? obj) => obj is ScalarUnit other ? CompareTo(other) : 1;

    public override string ToString() => $"{Number.ToString(CultureInfo.InvariantCulture)} {Unit}";

    private static (string Unit, double Factor)[] Table(string type) => type switch
    {
        "scalar-unit.size" => Size,
        "scalar-unit.time" => Time,
        "scalar-unit.frequency" => Frequency,
        _ => Bitrate,
    };
}
