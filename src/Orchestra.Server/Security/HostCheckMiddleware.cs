using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orchestra.Application.Api;
using Orchestra.Server.Api;

namespace Orchestra.Server.Security;

/// <summary>
/// The first middleware: answers 503 until <see cref="ListenGuard"/> has checked the bound addresses, then refuses with 421 every
/// request whose <c>Host</c> is not one of this server's names, so that a web page cannot reach a loopback server through DNS rebinding
/// (a name of the attacker's that resolves to 127.0.0.1).
/// </summary>
internal sealed partial class HostCheckMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ListenGuard _guard;
    private readonly ILogger<HostCheckMiddleware> _logger;

    public HostCheckMiddleware(RequestDelegate next, ListenGuard guard, ILogger<HostCheckMiddleware> logger)
    {
        _next = next;
        _guard = guard;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!_guard.IsOpen)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Starting",
                detail: "The server has not finished checking the addresses it listens on.",
                type: ProblemTypes.Starting).ExecuteAsync(context);
        }

        var host = context.Request.Host;
        if (host.HasValue && _guard.IsAllowedHost(host.Host))
        {
            return _next(context);
        }

        LogHostRefused(_logger, host.Value ?? string.Empty, context.Connection.RemoteIpAddress?.ToString() ?? "?");
        return Results.Problem(
            statusCode: StatusCodes.Status421MisdirectedRequest,
            title: "Host not allowed",
            detail: $"This server does not answer to the host '{host.Value}': only to localhost, its loopback and bound addresses, and the " +
                "names in Orchestra:Server:AllowedHosts. Add the name there if clients rightly use it.",
            type: ProblemTypes.HostNotAllowed).ExecuteAsync(context);
    }

    [LoggerMessage(EventId = ServerEventIds.HostRefused, Level = LogLevel.Warning, Message = "Refused a request for host '{Host}' from {RemoteAddress}")]
    private static partial void LogHostRefused(ILogger logger, string host, string remoteAddress);
}
