using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestra.Application.Api;
using Orchestra.Application.Configuration;

namespace Orchestra.Server.Api;

/// <summary>Reads JSON request bodies with precise problem responses (what is wrong, where), instead of an empty 400.</summary>
internal static class RequestBodies
{
    /// <summary>Reads the body as <typeparamref name="T"/>.</summary>
    /// <returns>The value and no error; or no value and the problem to answer with.</returns>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpRequest request, bool required, CancellationToken ct)
        where T : class
    {
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody)
        {
            return required ? (null, Problems.InvalidRequest("The request has no body; a JSON object is expected.")) : (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"The body must be JSON (Content-Type: application/json); got '{request.ContentType}'.", type: ProblemTypes.InvalidRequest));
        }

        var services = request.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var limit = services.GetRequiredService<IOptions<OrchestraOptions>>().Value.Server.MaxRequestBodyBytes;
        try
        {
            // Kestrel enforces the limit too; checking here keeps the answer the same behind any server or proxy.
            if (request.ContentLength > limit)
            {
                return (null, TooLarge());
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge());
                }

                buffer.Write(chunk, 0, read);
            }

            buffer.Position = 0;
            var value = await JsonSerializer.DeserializeAsync<T>(buffer, options, ct).ConfigureAwait(false);
            return value is null && required ? (null, Problems.InvalidRequest("The body is JSON null; a JSON object is expected.")) : (value, null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : string.Empty;
            return (null, Problems.InvalidRequest($"The body is not valid JSON for this request{where}: {FirstSentence(e.Message)}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    private static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: "The body is larger than Orchestra:Server:MaxRequestBodyBytes allows.", type: ProblemTypes.PayloadTooLarge);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
