using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestra.Application.Configuration;
using Orchestra.Application.Security;
using Orchestra.Server.Hosting;

namespace Orchestra.Server.Security;

/// <summary>
/// Judges the addresses Kestrel actually bound, whatever configured them (<c>Orchestra:Server:Urls</c>, a <c>Kestrel</c> section on the
/// command line, in the environment or in a configuration file, <c>ASPNETCORE_URLS</c>), and decides which <c>Host</c> names requests may use.
/// </summary>
/// <remarks>
/// States: <em>closed</em> from construction until the host has started every service (Kestrel included); then <em>open</em>, or the
/// start fails. While closed, <see cref="HostCheckMiddleware"/> answers 503 to every request, so nothing is served from an address the
/// policy would refuse. If a bound address is beyond loopback and no configured bearer token is in force, <see cref="StartedAsync"/>
/// throws <see cref="OrchestraStartupException"/>: the host's start fails and the caller stops it (<c>orchestra serve</c> exits 2).
/// A server without network addresses (the in-memory test server) has nothing to judge and opens with the loopback names only.
/// </remarks>
internal sealed partial class ListenGuard : IHostedLifecycleService
{
    private readonly IServer _server;
    private readonly ServerAuthentication _authentication;
    private readonly SignInSessions _sessions;
    private readonly ServerOptions _options;
    private readonly ILogger<ListenGuard> _logger;
    private volatile HashSet<string>? _allowedHosts;

    public ListenGuard(IServer server, ServerAuthentication authentication, SignInSessions sessions, IOptions<OrchestraOptions> options, ILogger<ListenGuard> logger)
    {
        _server = server;
        _authentication = authentication;
        _sessions = sessions;
        _options = options.Value.Server;
        _logger = logger;
    }

    /// <summary>Whether the bound addresses have been checked and found allowed.</summary>
    public bool IsOpen => _allowedHosts is not null;

    /// <summary>Whether a request naming <paramref name="host"/> (its <c>Host</c> header, without the port) is for this server.</summary>
    public bool IsAllowedHost(string host)
    {
        var name = Normalize(host);
        if (name.Length == 0)
        {
            return false;
        }

        if (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address))
        {
            return true;
        }

        return _allowedHosts is { } allowed && allowed.Contains(name);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var bound = _server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        var exposed = bound.Where(a => !ListenAddressPolicy.IsLoopback(a)).ToArray();
        if (exposed.Length > 0 && !_authentication.AllowsNonLoopback)
        {
            var refusal = ListenAddressPolicy.Refusal(exposed) +
                " The addresses were those Kestrel bound, whatever configured them (--urls, Orchestra:Server:Urls, a Kestrel section " +
                "on the command line, in the environment or in a configuration file, ASPNETCORE_URLS).";
            LogListenRefused(_logger, string.Join(", ", exposed));
            throw new OrchestraStartupException(refusal);
        }

        _allowedHosts = AllowedHosts(bound, _options.AllowedHosts);
        switch (_authentication.Mode)
        {
            case AuthenticationMode.AnonymousLoopback:
                LogAnonymous(_logger, string.Join(", ", bound));
                break;
            case AuthenticationMode.GeneratedToken:
                LogGeneratedToken(_logger, _authentication.TokenFile!);
                LogSignInUrl(_logger, _options.SignInCodeLifetime, SignInUrl(bound, _sessions.IssueCode()));
                break;
            default:
                LogConfiguredToken(_logger);
                LogSignInUrl(_logger, _options.SignInCodeLifetime, SignInUrl(bound, _sessions.IssueCode()));
                break;
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The names of the bound addresses; for a wildcard binding, every address of this machine and its host name, since clients may
    // reach it by any of them. Loopback addresses are allowed by IsAllowedHost itself.
    private static HashSet<string> AllowedHosts(IEnumerable<string> bound, IEnumerable<string> configured)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "localhost" };
        foreach (var host in bound.Select(ListenAddressPolicy.HostOf).Select(Normalize))
        {
            if (host is "0.0.0.0" or "::" or "*" or "+")
            {
                names.Add(Normalize(Dns.GetHostName()));
                foreach (var address in NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses))
                {
                    if (address.Address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                    {
                        names.Add(Normalize(address.Address.ToString()));
                    }
                }
            }
            else if (host.Length > 0)
            {
                names.Add(host);
            }
        }

        foreach (var name in configured)
        {
            names.Add(Normalize(name));
        }

        return names;
    }

    private static string Normalize(string host)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }

        var zone = name.IndexOf('%', StringComparison.Ordinal);
        return zone >= 0 && name.Contains(':', StringComparison.Ordinal) ? name[..zone] : name;
    }

    private static string SignInUrl(IReadOnlyList<string> bound, string code)
    {
        var path = $"{SignInEndpoints.Path}?code={code}";
        var address = bound.FirstOrDefault(ListenAddressPolicy.IsLoopback) ?? bound.FirstOrDefault();
        if (address is null)
        {
            return path;
        }

        var origin = address.TrimEnd('/')
            .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal);
        return origin + path;
    }

    [LoggerMessage(EventId = ServerEventIds.ListenRefused, Level = LogLevel.Critical,
        Message = "Kestrel bound {Addresses}, beyond loopback, without a configured bearer token; stopping")]
    private static partial void LogListenRefused(ILogger logger, string addresses);

    [LoggerMessage(EventId = ServerEventIds.AnonymousLoopback, Level = LogLevel.Warning,
        Message = "Anonymous access is on (Orchestra:Server:AllowAnonymousLoopback): every user and every process of this machine, and any web page " +
            "it opens, can run templates' scripts as this user through {Addresses}. Remove the setting to require the token.")]
    private static partial void LogAnonymous(ILogger logger, string addresses);

    [LoggerMessage(EventId = ServerEventIds.GeneratedTokenRequired, Level = LogLevel.Information,
        Message = "Requests need 'Authorization: Bearer <token>' with the token in {TokenFile}; the orchestra command of this user on this machine finds it by itself")]
    private static partial void LogGeneratedToken(ILogger logger, string tokenFile);

    [LoggerMessage(EventId = ServerEventIds.ConfiguredTokenRequired, Level = LogLevel.Information,
        Message = "Requests need 'Authorization: Bearer <token>' with the token of Orchestra:Server:BearerToken")]
    private static partial void LogConfiguredToken(ILogger logger);

    [LoggerMessage(EventId = ServerEventIds.SignInUrl, Level = LogLevel.Information,
        Message = "To sign in from a browser, open once within {Lifetime}: {SignInUrl}")]
    private static partial void LogSignInUrl(ILogger logger, TimeSpan lifetime, string signInUrl);
}
