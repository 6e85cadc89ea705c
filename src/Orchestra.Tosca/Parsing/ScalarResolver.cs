using System.Globalization;

namespace Orchestra.Tosca.Parsing;

/// <summary>Resolves plain scalars the way YAML's core schema does (null, booleans, integers, floats).</summary>
internal static class ScalarResolver
{
    public static ScalarKind Resolve(string text, bool isPlain, string? tag)
    {
        if (tag is { Length: > 0 })
        {
            return tag switch
            {
                "tag:yaml.org,2002:str" or "!!str" => ScalarKind.String,
                "tag:yaml.org,2002:int" or "!!int" => ScalarKind.Integer,
                "tag:yaml.org,2002:float" or "!!float" => ScalarKind.Float,
                "tag:yaml.org,2002:bool" or "!!bool" => ScalarKind.Boolean,
                "tag:yaml.org,2002:null" or "!!null" => ScalarKind.Null,
                _ => isPlain ? Resolve(text, true, null) : ScalarKind.String,
            };
        }

        if (!isPlain)
        {
            return ScalarKind.String;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return ScalarKind.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                return ScalarKind.Boolean;
            case ".inf" or "+.inf" or "-.inf" or ".Inf" or ".INF" or ".nan" or ".NaN" or ".NAN":
                return ScalarKind.Float;
        }

        if (IsInteger(text))
        {
            return ScalarKind.Integer;
        }

        return IsFloat(text) ? ScalarKind.Float : ScalarKind.String;
    }

    /// <summary>YAML 1.1's other booleans, which YAML 1.2 reads as text: <c>yes</c>/<c>on</c> (true) and <c>no</c>/<c>off</c> (false), any case.</summary>
    public static bool TryGetYaml11Boolean(string text, out bool value)
    {
        value = text.Equals("yes", StringComparison.OrdinalIgnoreCase) || text.Equals("on", StringComparison.OrdinalIgnoreCase);
        return value || text.Equals("no", StringComparison.OrdinalIgnoreCase) || text.Equals("off", StringComparison.OrdinalIgnoreCase);
    }

    public static bool TryGetInteger(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            value = 0;
            foreach (var c in text.AsSpan(2))
            {
                if (c is < '0' or > '7')
                {
                    return false;
                }

                value = (value * 8) + (c - '0');
            }

            return text.Length > 2;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetFloat(string text, out double value)
    {
        switch (text)
        {
            case ".inf" or "+.inf" or ".Inf" or ".INF":
                value = double.PositiveInfinity;
                return true;
            case "-.inf":
                value = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN;
                return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsInteger(string text)
    {
        var s = text.AsSpan();
        if (s.StartsWith("0x") || s.StartsWith("0o"))
        {
            return TryGetInteger(text, out _);
        }

        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }

        if (s.IsEmpty || s.Length > 18)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFloat(string text)
    {
        var s = text.AsSpan();
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }

        var digits = 0;
        var dot = false;
        var i = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                digits++;
            }
            else if (c == '.' && !dot)
            {
                dot = true;
            }
            else
            {
                break;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i == s.Length)
        {
            return dot;
        }

        if (s[i] is not ('e' or 'E'))
        {
            return false;
        }

        i++;
        if (i < s.Length && s[i] is '-' or '+')
        {
            i++;
        }

        var exponentDigits = 0;
        for (; i < s.Length; i++)
        {
            if (s[i] is < '0' or > '9')
            {
                return false;
            }

            exponentDigits++;
        }

        return exponentDigits > 0;
    }
}
