using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Orchestra.Application.Api;
using Orchestra.Server.Api;
using Orchestra.Server.Console;

namespace Orchestra.Server.Security;

/// <summary>
/// Rejects every request that proves neither <c>Authorization: Bearer TOKEN</c> with the server's token nor a browser session opened
/// through a sign-in code, answering 401 with a problem document and a <c>WWW-Authenticate: Bearer</c> header.
/// </summary>
/// <remarks>
/// <c>GET /healthz</c> stays open so that load balancers and container health checks need no secret; it reveals nothing but liveness.
/// <c>/signin</c> is open too: its code is the credential. So are the operator console's page and files (<c>GET /</c>, <c>/console/*</c>):
/// they hold no data, and the page signs in to the API like any client. A request that sends an <c>Authorization</c> header is judged by it alone.
/// A request authenticated by the session cookie only, with an unsafe method (anything but GET, HEAD, OPTIONS), must also carry an
/// <c>Origin</c> header naming this server: the cookie is <c>SameSite=Strict</c>, and the Origin check stops cross-site requests from
/// browsers that do not honour it (403). The token comparison takes constant time.
/// </remarks>
internal sealed class BearerTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[] _expected;
    private readonly SignInSessions _sessions;

    public BearerTokenMiddleware(RequestDelegate next, ServerAuthentication authentication, SignInSessions sessions)
    {
        _next = next;
        _expected = Encoding.UTF8.GetBytes(authentication.Token ?? throw new InvalidOperationException("Authentication without a token."));
        _sessions = sessions;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) || request.Path.Equals(SignInEndpoints.Path, StringComparison.OrdinalIgnoreCase)
            || (HttpMethods.IsGet(request.Method) && ConsoleEndpoints.IsPublic(request.Path)))
        {
            return _next(context);
        }

        if (request.Headers.Authorization.Count > 0)
        {
            return HasToken(request) ? _next(context) : Unauthorized(context);
        }

        if (!_sessions.IsValid(request.Cookies[SessionCookie.Name(context)]))
        {
            return Unauthorized(context);
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || IsSameOrigin(request))
        {
            return _next(context);
        }

        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Cross-origin request refused",
            detail: $"A {request.Method} authenticated by the session cookie must come from this server's own pages: its Origin header " +
                $"must be {request.Scheme}://{request.Host}. Scripts and tools should send 'Authorization: Bearer <token>' instead.",
            type: ProblemTypes.CrossOriginRefused).ExecuteAsync(context);
    }

    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin
        && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "This server requires 'Authorization: Bearer <token>': the token configured in Orchestra:Server:BearerToken, or, " +
                "when none is, the one in the token file of the user running the server (the orchestra command on the same machine " +
                "and user finds it by itself). Browsers sign in through the one-time /signin URL the server prints at start.",
            type: ProblemTypes.Unauthorized).ExecuteAsync(context);
    }

    private bool HasToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}

/// <summary>The browser session cookie: named after the local port, since browsers share a host's cookies among all its ports.</summary>
internal static class SessionCookie
{
    public static string Name(HttpContext context) =>
        "orchestra-session-" + context.Connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
