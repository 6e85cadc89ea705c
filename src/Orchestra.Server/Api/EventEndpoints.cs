using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orchestra.Application.Configuration;
using Orchestra.Engine.Deployments;
using Orchestra.Server.Hosting;

namespace Orchestra.Server.Api;

/// <summary>The event streams: Server-Sent Events of deployment notifications.</summary>
/// <remarks>
/// Each notification is one event whose <c>event:</c> field is the notification kind in camelCase (<c>taskStarted</c>,
/// <c>statusChanged</c>, ...) and whose <c>data:</c> is the notification as JSON. A stream of one deployment
/// (<see cref="DeploymentEventStream"/>) replays from the journal after <c>Last-Event-ID</c> and ends once the deployment settles;
/// the stream of every deployment is live only (at most once, none replayed), with ids <c>DEPLOYMENT:SEQUENCE</c>, and never ends.
/// A slow reader loses the oldest events beyond <see cref="BufferCapacity"/> rather than slowing the engine; a deployment's stream
/// reads what it lost from the journal.
/// </remarks>
internal static class EventEndpoints
{
    /// <summary>How many notifications one stream buffers for a slow reader.</summary>
    public const int BufferCapacity = 4096;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", (HttpContext context, string? deployment, OrchestraNodeService service, IOptions<OrchestraOptions> options, IOptions<JsonOptions> json, TimeProvider time) =>
                StreamAsync(context, deployment, service, options.Value.Server, json.Value.SerializerOptions, time))
            .WithTags("Events").WithName("StreamEvents")
            .WithSummary("A live stream (text/event-stream) of the notifications of every deployment, or the stream of one with ?deployment=ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

        app.MapGet("/api/deployments/{id}/events", (HttpContext context, string id, OrchestraNodeService service, IOptions<OrchestraOptions> options, IOptions<JsonOptions> json, TimeProvider time) =>
                StreamAsync(context, id, service, options.Value.Server, json.Value.SerializerOptions, time))
            .WithTags("Events").WithName("StreamDeploymentEvents")
            .WithSummary("One deployment's events (text/event-stream): those journaled after Last-Event-ID (or ?after=N), else a snapshot, then live ones; it ends once the deployment settles.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task StreamAsync(
        HttpContext context, string? deploymentId, OrchestraNodeService service, ServerOptions options, JsonSerializerOptions json, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var node = service.Node;
        var channel = Channel.CreateBounded<DeploymentNotification>(new BoundedChannelOptions(BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        // Subscribe before reading the snapshot or the journal, so nothing falls between the two.
        using var subscription = node.Deployments.Subscribe(n =>
        {
            if (deploymentId is null || string.Equals(n.DeploymentId, deploymentId, StringComparison.Ordinal))
            {
                channel.Writer.TryWrite(n);
            }
        });

        if (deploymentId is not null)
        {
            var (after, error) = DeploymentEventStream.StartingPoint(context.Request);
            if (error is not null)
            {
                await error.ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            try
            {
                await new DeploymentEventStream(context, deploymentId, node.Deployments, options, json, time).RunAsync(after, channel.Reader, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away: the normal end of a stream.
            }

            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n\n", ct).ConfigureAwait(false);

        await response.Body.FlushAsync(ct).ConfigureAwait(false);
        var reader = channel.Reader;
        try
        {
            Task<bool>? waiting = null;
            while (!ct.IsCancellationRequested)
            {
                waiting ??= reader.WaitToReadAsync(ct).AsTask();
                var delay = Task.Delay(options.EventStreamKeepAlive, time, ct);
                if (await Task.WhenAny(waiting, delay).ConfigureAwait(false) != waiting)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                    continue;
                }

                if (!await waiting.ConfigureAwait(false))
                {
                    break;
                }

                waiting = null;
                while (reader.TryRead(out var notification))
                {
                    var kind = JsonNamingPolicy.CamelCase.ConvertName(notification.Kind.ToString());
                    await WriteEventAsync(response, kind, $"{notification.DeploymentId}:{notification.SequenceNr}", JsonSerializer.Serialize(notification, json), ct).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }

    private static Task WriteEventAsync(HttpResponse response, string name, string id, string data, CancellationToken ct)
    {
        var text = new StringBuilder()
            .Append("event: ").Append(name).Append('\n')
            .Append("id: ").Append(id).Append('\n')
            .Append("data: ").Append(data).Append("\n\n")
            .ToString();
        return response.WriteAsync(text, ct);
    }
}
