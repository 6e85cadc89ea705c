namespace Orchestra.Cli;

/// <summary>The exit codes of the <c>orchestra</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The deployment (or the operation) failed, or the server refused the request.</summary>
    public const int Failed = 1;

    /// <summary>The template is invalid, or the command line is wrong.</summary>
    public const int InvalidInput = 2;

    /// <summary>
    /// Stopped by Ctrl-C (paused by the first, its running operations killed by a second) or detached: the deployment is journaled and
    /// resumable with <c>orchestra resume</c> (128 + SIGINT, the shell convention).
    /// </summary>
    public const int Detached = 130;
}
