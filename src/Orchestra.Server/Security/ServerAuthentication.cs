using Orchestra.Application.Configuration;
using Orchestra.Application.Security;
using Orchestra.Server.Hosting;

namespace Orchestra.Server.Security;

/// <summary>How a server authenticates requests, decided once at start from its settings.</summary>
/// <param name="Mode">Which kind of authentication is in force.</param>
/// <param name="Token">The token requests must present, or <see langword="null"/> for <see cref="AuthenticationMode.AnonymousLoopback"/>.</param>
/// <param name="TokenFile">The token file, for <see cref="AuthenticationMode.GeneratedToken"/>.</param>
internal sealed record ServerAuthentication(AuthenticationMode Mode, string? Token, string? TokenFile)
{
    /// <summary>Only a token an operator chose and handed out lets the server listen beyond loopback.</summary>
    public bool AllowsNonLoopback => Mode == AuthenticationMode.ConfiguredToken;

    /// <summary>Decides, creating the token file if the generated token is in force and it does not exist yet.</summary>
    /// <exception cref="OrchestraStartupException">The token file is unsafe or cannot be created.</exception>
    public static ServerAuthentication Resolve(ServerOptions server)
    {
        if (!string.IsNullOrEmpty(server.BearerToken))
        {
            return new(AuthenticationMode.ConfiguredToken, server.BearerToken, null);
        }

        if (server.AllowAnonymousLoopback)
        {
            return new(AuthenticationMode.AnonymousLoopback, null, null);
        }

        var path = ServerTokenFile.PathFor(server);
        if (OperatingSystem.IsWindows())
        {
            throw new OrchestraStartupException(
                "The generated token file needs Unix permissions; on Windows set Orchestra:Server:BearerToken (or Orchestra:Server:AllowAnonymousLoopback).");
        }

        try
        {
            return new(AuthenticationMode.GeneratedToken, ServerTokenFile.ReadOrCreate(path), path);
        }
        catch (UnsafeTokenFileException e)
        {
            throw new OrchestraStartupException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OrchestraStartupException($"Cannot create or read the token file '{path}': {e.Message} Set Orchestra:Server:TokenFile to a writable place.");
        }
    }
}

/// <summary>The kinds of authentication a server can require.</summary>
internal enum AuthenticationMode
{
    /// <summary>The token of <see cref="ServerOptions.BearerToken"/>: the only mode that allows listening beyond loopback.</summary>
    ConfiguredToken,

    /// <summary>The token of the per-user token file (the default).</summary>
    GeneratedToken,

    /// <summary>No authentication, loopback only (<see cref="ServerOptions.AllowAnonymousLoopback"/>).</summary>
    AnonymousLoopback,
}
