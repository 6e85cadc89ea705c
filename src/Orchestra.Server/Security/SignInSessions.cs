using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Orchestra.Application.Configuration;

namespace Orchestra.Server.Security;

/// <summary>
/// One-time sign-in codes and the browser sessions they open: how a browser (the operator console) signs in to a server that requires a
/// token, without the token ever being typed into a page or put in a URL.
/// </summary>
/// <remarks>
/// The server issues a code at start and prints <c>/signin?code=CODE</c>. A code can be redeemed once, within
/// <see cref="ServerOptions.SignInCodeLifetime"/>; redeeming it opens a session that lasts <see cref="ServerOptions.SessionLifetime"/>.
/// Codes and sessions are kept in memory only, as SHA-256 hashes: a restart signs every browser out, and each node of a cluster has its
/// own. Thread-safe.
/// </remarks>
public sealed class SignInSessions
{
    private const int SecretBytes = 32;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly TimeSpan _codeLifetime;
    private readonly TimeSpan _sessionLifetime;
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    /// <param name="server">The lifetimes of codes and sessions.</param>
    /// <param name="time">The clock that expires them.</param>
    public SignInSessions(ServerOptions server, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(time);
        _codeLifetime = server.SignInCodeLifetime;
        _sessionLifetime = server.SessionLifetime;
        _time = time;
    }

    /// <summary>How long a code can be redeemed after it is issued.</summary>
    public TimeSpan CodeLifetime => _codeLifetime;

    /// <summary>How long a session lasts.</summary>
    public TimeSpan SessionLifetime => _sessionLifetime;

    /// <summary>Issues a new single-use sign-in code.</summary>
    /// <returns>The code, URL-safe.</returns>
    public string IssueCode()
    {
        var code = NewSecret();
        _codes[Hash(code)] = _time.GetUtcNow() + _codeLifetime;
        return code;
    }

    /// <summary>Redeems <paramref name="code"/>: once, before it expires.</summary>
    /// <param name="code">The code from the sign-in URL.</param>
    /// <returns>The new session's id, or <see langword="null"/> when the code is unknown, used or expired.</returns>
    public string? Redeem(string? code)
    {
        var now = _time.GetUtcNow();
        Prune(_codes, now);
        Prune(_sessions, now);
        if (string.IsNullOrEmpty(code) || !_codes.TryRemove(Hash(code), out var expires) || expires <= now)
        {
            return null;
        }

        var session = NewSecret();
        _sessions[Hash(session)] = now + _sessionLifetime;
        return session;
    }

    /// <summary>Whether <paramref name="session"/> is an open, unexpired session.</summary>
    /// <param name="session">The session cookie's value.</param>
    /// <returns><see langword="true"/> for a live session.</returns>
    public bool IsValid(string? session) =>
        !string.IsNullOrEmpty(session) && _sessions.TryGetValue(Hash(session), out var expires) && expires > _time.GetUtcNow();

    private static void Prune(ConcurrentDictionary<string, DateTimeOffset> entries, DateTimeOffset now)
    {
        foreach (var (key, expires) in entries)
        {
            if (expires <= now)
            {
                entries.TryRemove(key, out _);
            }
        }
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
