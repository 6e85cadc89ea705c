using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestra.Server.Api;

namespace Orchestra.Server.Security;

/// <summary><c>GET /signin?code=CODE</c>: redeems a one-time sign-in code for a browser session cookie.</summary>
internal static partial class SignInEndpoints
{
    public const string Path = "/signin";

    public static void Map(IEndpointRouteBuilder app) =>
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

    [LoggerMessage(EventId = ServerEventIds.SessionOpened, Level = LogLevel.Information, Message = "A browser session was opened through a sign-in code from {RemoteAddress}")]
    private static partial void LogSessionOpened(ILogger logger, string remoteAddress);
}
