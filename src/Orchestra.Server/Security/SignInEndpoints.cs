using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestra.Application.Api;
using Orchestra.Server.Api;

namespace Orchestra.Server.Security;

/// <summary>
/// <c>GET /signin?code=CODE</c>: redeems a one-time sign-in code for a browser session cookie; <c>POST /api/signin-codes</c>: issues a
/// new code to a caller that holds the token, for when the one printed at start has expired.
/// </summary>
internal static partial class SignInEndpoints
{
    public const string Path = "/signin";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/signin-codes", (HttpContext context, SignInSessions sessions, TimeProvider time) =>
            {
                var code = sessions.IssueCode();
                return Results.Ok(new SignInCodeIssued(
                    $"{context.Request.Scheme}://{context.Request.Host}{Path}?code={code}", time.GetUtcNow() + sessions.CodeLifetime));
            })
            .WithTags("Sign-in").WithName("IssueSignInCode")
            .WithSummary("Issues a new one-time sign-in URL for a browser (the token is required, as everywhere but /healthz and /signin).")
            .Produces<SignInCodeIssued>();
        MapRedeem(app);
    }

    private static void MapRedeem(IEndpointRouteBuilder app) =>
        app.MapGet(Path, (HttpContext context, string? code, SignInSessions sessions, ILoggerFactory loggers) =>
            {
                if (sessions.Redeem(code) is not { } session)
                {
                    return Results.Problem(
                        statusCode: StatusCodes.Status401Unauthorized,
                        title: "Sign-in code invalid",
                        detail: "This sign-in code is unknown, already used or expired: a code opens one session, once. Restart the server " +
                            "for a new sign-in URL, or send 'Authorization: Bearer <token>'.",
                        type: ProblemTypes.SignInCodeInvalid);
                }

                context.Response.Cookies.Append(SessionCookie.Name(context), session, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    Path = "/",
                    MaxAge = sessions.SessionLifetime,
                    IsEssential = true,
                });
                LogSessionOpened(loggers.CreateLogger(typeof(SignInEndpoints).FullName!), context.Connection.RemoteIpAddress?.ToString() ?? "?");
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Location = "/";
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            })
            .WithTags("Sign-in").WithName("SignIn")
            .WithSummary("Redeems the one-time code of the sign-in URL printed at start for an HttpOnly, SameSite=Strict session cookie; 303 to /.")
            .ExcludeFromDescription();

    /// <summary>The answer of <c>POST /api/signin-codes</c>.</summary>
    /// <param name="Url">The sign-in URL to open in a browser, once.</param>
    /// <param name="ExpiresAt">When the code stops working if unused.</param>
    internal sealed record SignInCodeIssued(string Url, DateTimeOffset ExpiresAt);

    [LoggerMessage(EventId = ServerEventIds.SessionOpened, Level = LogLevel.Information, Message = "A browser session was opened through a sign-in code from {RemoteAddress}")]
    private static partial void LogSessionOpened(ILogger logger, string remoteAddress);
}
