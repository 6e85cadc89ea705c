using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Orchestra.Server.Console;

/// <summary>
/// Serves the operator console: <c>GET /</c> (the page) and <c>GET /console/NAME</c> (its modules and style), from the assembly.
/// </summary>
/// <remarks>
/// These are open without the token (they hold no data; every call the page makes goes to the API, under its rule), with a
/// Content-Security-Policy that lets the page load and call nothing but this server, and no framing.
/// </remarks>
internal static class ConsoleEndpoints
{
    private const string AssetPrefix = "/console/";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Whether <paramref name="path"/> is one of the console's own files, which need no token.</summary>
    public static bool IsPublic(PathString path) =>
        path.Equals("/", StringComparison.Ordinal) || (path.Value?.StartsWith(AssetPrefix, StringComparison.Ordinal) ?? false);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription();
        app.MapGet(AssetPrefix + "{name}", (HttpContext context, string name) => Serve(context, name)).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext context, string name)
    {
        if (ConsoleAssets.Find(name) is not { } asset)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The assets change with the server's version; revalidating keeps an upgraded node from serving a stale page.
        headers.CacheControl = "no-cache";
        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
