using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Orchestra.Server.Api;

namespace Orchestra.Server.Security;

/// <summary>
/// Rejects every request that does not carry <c>Authorization: Bearer TOKEN</c> with the configured token,
/// answering 401 with a problem document and a <c>WWW-Authenticate: Bearer</c> header.
/// </summary>
/// <remarks>
/// <c>GET /healthz</c> stays open so that load balancers and container health checks need no secret; it
/// reveals nothing but liveness. The comparison takes constant time.
/// </remarks>
internal sealed class BearerTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[] _expected;

    public BearerTokenMiddleware(RequestDelegate next, string token)
    {
        _next = next;
        _expected = Encoding.UTF8.GetBytes(token);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) || IsAuthorized(context.Request))
        {
            return _next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "This server requires 'Authorization: Bearer <token>' with the token configured in Orchestra:Server:BearerToken.",
            type: ProblemTypes.Unauthorized).ExecuteAsync(context);
    }

    private bool IsAuthorized(HttpRequest request)
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
