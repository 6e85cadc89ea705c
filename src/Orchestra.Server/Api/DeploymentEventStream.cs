using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Orchestra.Application.Api;
using Orchestra.Application.Configuration;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;

namespace Orchestra.Server.Api;

/// <summary>
/// The Server-Sent Events stream of one deployment: what was journaled after the client's starting point, read from the store,
/// then the live notifications, until the deployment settles.
/// </summary>
/// <remarks>
/// <para>States: <em>waiting</em> (the deployment does not exist yet: keep-alive comments until it is submitted, at most
/// <see cref="ServerOptions.EventStreamDeploymentWait"/>, then a <c>problem</c> event and the end), <em>replaying</em> (the
/// journaled events after the starting point, rebuilt by <see cref="DeploymentNotifications.Replay"/>), <em>live</em> (the
/// notifications the engine publishes), <em>ended</em> (the response completes).</para>
/// <para>Invariants: every event's <c>id:</c> is the journal sequence number of the event it reports; ids strictly increase, so no
/// event is written twice; no journaled event after the starting point is left out: the subscription is opened before the journal
/// is read, live notifications at or below the last written number are dropped, and one past a gap (the buffer dropped some for a
/// slow reader, or another node wrote) makes the stream read the missing events from the journal. The stream ends right after the
/// event that left the deployment settled, once that event is the last one journaled.</para>
/// <para>Without a starting point (<c>Last-Event-ID</c> header or <c>?after=N</c>) it starts with a <c>snapshot</c> event, the
/// current <see cref="DeploymentView"/>, whose id is the view's sequence number, and goes on live from there.</para>
/// </remarks>
internal sealed class DeploymentEventStream(
    HttpContext context, string deploymentId, IDeploymentsHost host, ServerOptions options, JsonSerializerOptions json, TimeProvider time)
{
    private long _lastSent;

    /// <summary>Reads the starting point: the <c>Last-Event-ID</c> header, else the <c>after</c> query parameter.</summary>
    /// <returns>The sequence number after which to replay (<see langword="null"/>: none given), or the problem to answer with.</returns>
    public static (long? After, IResult? Error) StartingPoint(HttpRequest request)
    {
        var (text, source) = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header
            ? (header, "the Last-Event-ID header")
            : (request.Query["after"].ToString(), "'after'");
        if (text.Length == 0)
        {
            return (null, null);
        }

        // Ids were DEPLOYMENT:SEQUENCE before they were the bare sequence number: a client reconnecting with one still resumes.
        var number = text[(text.LastIndexOf(':') + 1)..].Trim();
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            ? (after, null)
            : (null, Problems.InvalidRequest($"{char.ToUpperInvariant(source[0])}{source[1..]} must be a journal sequence number (0 or more); got '{text}'."));
    }

    /// <summary>Streams until the deployment settles, the wait for it runs out, or the client goes away.</summary>
    /// <param name="after">The starting point; <see langword="null"/> for a snapshot, then live notifications.</param>
    /// <param name="live">The deployment's notifications, subscribed to before this call.</param>
    /// <param name="ct">The request's abort token.</param>
    public async Task RunAsync(long? after, ChannelReader<DeploymentNotification> live, CancellationToken ct)
    {
        var view = await host.GetAsync(deploymentId, ct).ConfigureAwait(false);
        await StartAsync(ct).ConfigureAwait(false);
        if (view is null)
        {
            if (!await WaitForSubmissionAsync(live, ct).ConfigureAwait(false))
            {
                return;
            }

            // A client that came before the deployment has seen none of it.
            after ??= 0;
        }

        if (after is { } start)
        {
            _lastSent = start;
            if (await ReplayAsync(ct).ConfigureAwait(false))
            {
                return;
            }
        }
        else
        {
            _lastSent = view!.SequenceNr;
            await WriteEventAsync("snapshot", view.SequenceNr, JsonSerializer.Serialize(view, json), ct).ConfigureAwait(false);
            if (view.Status.IsSettled())
            {
                return;
            }
        }

        await FlushAsync(ct).ConfigureAwait(false);
        while (await WaitAsync(live, deadline: null, ct).ConfigureAwait(false))
        {
            while (live.TryRead(out var notification))
            {
                // A line a running attempt printed is journaled with no event of its own: it goes out as it comes, with no id, so
                // a reconnect neither replays it nor loses its place.
                if (notification.Kind == NotificationKind.TaskOutput)
                {
                    await WriteEventAsync("taskOutput", id: null, JsonSerializer.Serialize(notification, json), ct).ConfigureAwait(false);
                    continue;
                }

                if (notification.SequenceNr <= _lastSent)
                {
                    continue;
                }

                if (notification.SequenceNr > _lastSent + 1 || notification.Kind == NotificationKind.Recovered)
                {
                    // Events are missing between the last written and this one: the journal has them.
                    if (await ReplayAsync(ct).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                await WriteNotificationAsync(notification, ct).ConfigureAwait(false);
                if (notification.Status.IsSettled() && await SettledAtLastSentAsync(ct).ConfigureAwait(false))
                {
                    return;
                }
            }

            await FlushAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task StartAsync(CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n\n", ct).ConfigureAwait(false);
        await FlushAsync(ct).ConfigureAwait(false);
    }

    // True once a notification of the deployment is there; false (after a problem event) when the wait ran out first.
    private async Task<bool> WaitForSubmissionAsync(ChannelReader<DeploymentNotification> live, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + options.EventStreamDeploymentWait;
        while (true)
        {
            if (await host.GetAsync(deploymentId, ct).ConfigureAwait(false) is not null)
            {
                return true;
            }

            if (!await WaitAsync(live, deadline, ct).ConfigureAwait(false))
            {
                var problem = new Dictionary<string, object?>
                {
                    ["type"] = ProblemTypes.DeploymentNotFound,
                    ["title"] = "Deployment not found",
                    ["status"] = StatusCodes.Status404NotFound,
                    ["detail"] = $"There is no deployment '{deploymentId}'; the stream waited {options.EventStreamDeploymentWait} for it to be submitted.",
                    ["deploymentId"] = deploymentId,
                };
                await WriteEventAsync("problem", null, JsonSerializer.Serialize(problem, json), ct).ConfigureAwait(false);
                await FlushAsync(ct).ConfigureAwait(false);
                return false;
            }

            // Something was published for this id: the submission, read again at the top. The replay that follows reads the
            // journal from its start, so what is in the buffer now is not needed (and would keep the wait from waiting).
            while (live.TryRead(out _))
            {
            }
        }
    }

    /// <summary>Writes what the journal holds after the last written event.</summary>
    /// <returns>Whether the deployment is settled at the end of its journal (the stream is over).</returns>
    private async Task<bool> ReplayAsync(CancellationToken ct)
    {
        var history = await host.GetHistoryAsync(deploymentId, ct).ConfigureAwait(false);
        DeploymentNotification? last = null;
        foreach (var notification in DeploymentNotifications.Replay(deploymentId, history))
        {
            last = notification;
            if (notification.SequenceNr > _lastSent)
            {
                await WriteNotificationAsync(notification, ct).ConfigureAwait(false);
            }
        }

        await FlushAsync(ct).ConfigureAwait(false);
        return last is not null && last.Status.IsSettled() && last.SequenceNr <= _lastSent;
    }

    // A live notification carries the status after its whole journal write: settled means settled once that write's last event is out.
    private async Task<bool> SettledAtLastSentAsync(CancellationToken ct)
    {
        var view = await host.GetAsync(deploymentId, ct).ConfigureAwait(false);
        if (view is not null && view.Status.IsSettled() && view.SequenceNr <= _lastSent)
        {
            await FlushAsync(ct).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    // Waits for a notification, sending keep-alive comments; false when the deadline passed first.
    private async Task<bool> WaitAsync(ChannelReader<DeploymentNotification> live, DateTimeOffset? deadline, CancellationToken ct)
    {
        var waiting = live.WaitToReadAsync(ct).AsTask();
        while (true)
        {
            var now = time.GetUtcNow();
            if (deadline is { } end && now >= end)
            {
                return false;
            }

            var pause = deadline is { } d && d - now < options.EventStreamKeepAlive ? d - now : options.EventStreamKeepAlive;
            var delay = Task.Delay(pause, time, ct);
            if (await Task.WhenAny(waiting, delay).ConfigureAwait(false) == waiting)
            {
                return await waiting.ConfigureAwait(false);
            }

            await delay.ConfigureAwait(false);
            await context.Response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
            await FlushAsync(ct).ConfigureAwait(false);
        }
    }

    private Task WriteNotificationAsync(DeploymentNotification notification, CancellationToken ct)
    {
        _lastSent = notification.SequenceNr;
        return WriteEventAsync(JsonNamingPolicy.CamelCase.ConvertName(notification.Kind.ToString()), notification.SequenceNr,
            JsonSerializer.Serialize(notification, json), ct);
    }

    private Task WriteEventAsync(string name, long? id, string data, CancellationToken ct)
    {
        var text = new StringBuilder().Append("event: ").Append(name).Append('\n');
        if (id is { } sequenceNr)
        {
            text.Append("id: ").Append(sequenceNr.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("data: ").Append(data).Append("\n\n");
        return context.Response.WriteAsync(text.ToString(), ct);
    }

    private Task FlushAsync(CancellationToken ct) => context.Response.Body.FlushAsync(ct);
}
