namespace Orchestra.Server;

/// <summary>
/// The event ids of this assembly's log messages, one catalogue so that none is reused. Ids below 100 are left to the hosting
/// and application messages; 100-199 are security (authentication, listen policy, host check).
/// </summary>
internal static class ServerEventIds
{
    /// <summary>The server serves without any token (<c>AllowAnonymousLoopback</c>).</summary>
    public const int AnonymousLoopback = 100;

    /// <summary>The server requires the token of its token file.</summary>
    public const int GeneratedTokenRequired = 101;

    /// <summary>The server requires the configured bearer token.</summary>
    public const int ConfiguredTokenRequired = 102;

    /// <summary>The one-time sign-in URL for a browser.</summary>
    public const int SignInUrl = 103;

    /// <summary>A request named a host the server does not answer to.</summary>
    public const int HostRefused = 104;

    /// <summary>Kestrel bound an address the listen policy forbids; the server stops.</summary>
    public const int ListenRefused = 105;

    /// <summary>A browser session was opened through a sign-in code.</summary>
    public const int SessionOpened = 106;

    /// <summary>An allowed template directory does not exist (200-299: templates).</summary>
    public const int TemplateDirectoryMissing = 200;
}
