using System.Net;

namespace Orchestra.Application.Security;

/// <summary>Decides whether the server may listen on the configured addresses.</summary>
/// <remarks>
/// Templates run scripts, so a server reachable from other machines without authentication would run
/// anybody's commands. Loopback addresses (<c>127.0.0.0/8</c>, <c>::1</c>, <c>localhost</c>) are always allowed;
/// any other address (a wildcard such as <c>0.0.0.0</c>, <c>*</c>, <c>+</c>, or a host name) needs a configured bearer token. The token
/// the server generates in its token file when none is configured does not count: it is this user's, on this machine. The policy is
/// checked on the configured URLs before start and again on the addresses Kestrel actually bound (the server's <c>ListenGuard</c>).
/// </remarks>
public static class ListenAddressPolicy
{
    /// <summary>Splits a <c>;</c>-separated URL list.</summary>
    /// <param name="urls">The URLs, e.g. <c>http://127.0.0.1:5080;http://[::1]:5080</c>.</param>
    /// <returns>The non-empty entries.</returns>
    public static IReadOnlyList<string> Split(string? urls) =>
        (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether <paramref name="url"/> names a loopback address.</summary>
    /// <param name="url">A listen URL such as <c>http://127.0.0.1:5080</c>.</param>
    /// <returns><see langword="true"/> for loopback IP addresses and <c>localhost</c>.</returns>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = HostOf(url);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Checks the URLs against the policy.</summary>
    /// <param name="urls">The URLs to listen on.</param>
    /// <param name="hasBearerToken">Whether a bearer token is configured.</param>
    /// <returns><see langword="null"/> when allowed; otherwise a message that says what to change.</returns>
    public static string? Check(IReadOnlyList<string> urls, bool hasBearerToken)
    {
        ArgumentNullException.ThrowIfNull(urls);
        if (urls.Count == 0)
        {
            return "no address to listen on: set --urls or Orchestra:Server:Urls.";
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return $"'{url}' is not an http:// or https:// URL.";
            }
        }

        var exposed = urls.Where(u => !IsLoopback(u)).ToArray();
        return exposed.Length > 0 && !hasBearerToken ? Refusal(exposed) : null;
    }

    /// <summary>The message that refuses <paramref name="exposed"/> and says what to change.</summary>
    internal static string Refusal(IEnumerable<string> exposed) =>
        $"refusing to listen on {string.Join(", ", exposed)} without authentication: templates run scripts, " +
        "so any address other than loopback requires a configured bearer token. Set Orchestra:Server:BearerToken " +
        "(environment variable ORCHESTRA__SERVER__BEARERTOKEN), or listen on 127.0.0.1 only.";

    /// <summary>The host of a listen URL (brackets kept for IPv6).</summary>
    internal static string HostOf(string url)
    {
        var rest = url;
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = rest[(scheme + 3)..];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? rest[..(close + 1)] : rest;
        }

        var colon = rest.LastIndexOf(':');
        return colon >= 0 ? rest[..colon] : rest;
    }
}
