using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orchestra.Application.Configuration;

namespace Orchestra.Application.Control;

/// <summary>
/// Where a process that drives deployments on a store listens for commands from other processes of this machine, and how they are sent.
/// </summary>
/// <remarks>
/// <para>Every <c>orchestra</c> process with a store open serves a Unix domain socket named after its pid in the store's control directory
/// (<see cref="DirectoryFor"/>: <c>control/</c> beside <c>orchestra.db</c>; directory mode 0700, socket 0600, so only the user who runs it can
/// connect). A process that finds a deployment's lease held by a live process of this machine (<c>HOST:PID:START</c>) sends the command to
/// <c>control/PID.sock</c> instead of driving the deployment itself: the holder journals it, under its lease, so no second process ever writes
/// the journal while the lease is live.</para>
/// <para>The protocol is one JSON line each way (<see cref="ControlRequest"/>, <see cref="ControlReply"/>); an <c>act</c> request gets a second
/// reply line once the deployment has settled. A socket whose process is gone is removed by whoever finds it.</para>
/// </remarks>
public static class ControlSocket
{
    // sun_path holds 108 bytes with its terminating NUL; a pid has at most 10 digits.
    private const int MaxSocketPathBytes = 107;
    private const int LongestFileName = 10 + 5;

    /// <summary>
    /// The control directory of a store: <c>control</c> beside the SQLite file, or, for PostgreSQL, one per database under this user's state
    /// directory; when that path is too long for a socket address, a directory named by its hash under the user's state directory.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <returns>The absolute directory.</returns>
    public static string DirectoryFor(StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var processes = store.ProcessRecordDirectory();
        // SQLite: STORE/processes -> STORE/control; PostgreSQL: STATE/orchestra/processes/postgres-HASH -> STATE/orchestra/control/postgres-HASH.
        var directory = store.Provider == StoreProvider.Postgres
            ? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(processes)!)!, "control", Path.GetFileName(processes))
            : Path.Combine(Path.GetDirectoryName(processes)!, "control");
        if (Encoding.UTF8.GetByteCount(directory) + 1 + LongestFileName <= MaxSocketPathBytes)
        {
            return directory;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..16];
        return Path.Combine(StoreOptions.StateDirectory(), "orchestra", "control", hash);
    }

    /// <summary>The socket of process <paramref name="processId"/> in a control directory.</summary>
    /// <param name="directory">The control directory (<see cref="DirectoryFor"/>).</param>
    /// <param name="processId">The process.</param>
    /// <returns>The socket's path.</returns>
    public static string PathOf(string directory, int processId) =>
        Path.Combine(directory, processId.ToString(CultureInfo.InvariantCulture) + ".sock");

    /// <summary>The pids that have a socket in a control directory.</summary>
    /// <param name="directory">The control directory.</param>
    /// <returns>The pids, in no particular order; none when the directory does not exist.</returns>
    public static IReadOnlyList<int> ListProcesses(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var pids = new List<int>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.sock"))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>Sends one request and reads the reply; with <paramref name="accepted"/>, also the second line that follows an accepted <c>act</c>.</summary>
    /// <param name="socketPath">The socket.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Timeout and size limit.</param>
    /// <param name="accepted">
    /// When set and the request was carried out: told so, then the second line (the deployment settled) is awaited, without a timeout.
    /// </param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The reply, and the second line (<see langword="null"/> when not asked for, or when the process closed the connection first).</returns>
    /// <exception cref="ControlUnreachableException">Nothing listens there, it did not answer in time, or it answered something else than a reply.</exception>
    public static async Task<(ControlReply Reply, ControlReply? Settled)> SendAsync(
        string socketPath, ControlRequest request, ControlOptions options, Action<ControlReply>? accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        ControlReply reply;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.RequestTimeout);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
                await WriteLineAsync(socket, request, timeout.Token).ConfigureAwait(false);
                reply = await ReadLineAsync<ControlReply>(socket, options.MaxMessageBytes, timeout.Token).ConfigureAwait(false)
                    ?? throw new ControlUnreachableException($"the control socket '{socketPath}' closed without answering");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ControlUnreachableException($"the control socket '{socketPath}' did not answer within {options.RequestTimeout}");
            }
            catch (Exception e) when (e is SocketException or IOException or JsonException)
            {
                throw new ControlUnreachableException($"the control socket '{socketPath}' cannot be used: {e.Message}", e);
            }
        }

        if (accepted is null || !reply.Ok)
        {
            return (reply, null);
        }

        accepted(reply);
        try
        {
            return (reply, await ReadLineAsync<ControlReply>(socket, options.MaxMessageBytes, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException)
        {
            return (reply, null);
        }
    }

    internal static async Task WriteLineAsync<T>(Socket socket, T message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ControlJson.Options);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        await socket.SendAsync(line, SocketFlags.None, cancellationToken).ConfigureAwait(false);
    }

    // Reads up to the next '\n' (at most maxBytes); null when the peer closed first. One byte at a time: the lines are short and rare,
    // and nothing after the line may be consumed (a second reply follows on the same connection).
    internal static async Task<T?> ReadLineAsync<T>(Socket socket, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        var buffer = new List<byte>(256);
        var one = new byte[1];
        while (true)
        {
            var read = await socket.ReceiveAsync(one, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            if (one[0] == (byte)'\n')
            {
                return JsonSerializer.Deserialize<T>(buffer.ToArray(), ControlJson.Options);
            }

            if (buffer.Count >= maxBytes)
            {
                throw new IOException($"a control message is longer than {maxBytes} bytes");
            }

            buffer.Add(one[0]);
        }
    }
}

/// <summary>A request on a control socket.</summary>
/// <param name="Op"><c>hello</c> (who are you), <c>act</c> (pause or cancel a deployment this process drives), or <c>drive</c> (a server: take this pending deployment over now).</param>
/// <param name="Deployment">The deployment, for <c>act</c> and <c>drive</c>.</param>
/// <param name="Action">For <c>act</c>: <c>Pause</c> or <c>Cancel</c>.</param>
/// <param name="Reason">For <c>act</c>: why, for the history.</param>
public sealed record ControlRequest(string Op, string? Deployment = null, string? Action = null, string? Reason = null);

/// <summary>A reply on a control socket.</summary>
/// <param name="Ok">Whether the request was carried out.</param>
/// <param name="ProcessId">The answering process.</param>
/// <param name="Role">What it is: <c>command</c> (an <c>orchestra</c> command) or <c>server</c> (<c>orchestra serve</c>).</param>
/// <param name="Error">Why not, when not <paramref name="Ok"/>.</param>
/// <param name="Status">The deployment's status after the request, for <c>act</c>.</param>
/// <param name="Driving">For <c>drive</c>: whether this process now drives the deployment.</param>
public sealed record ControlReply(bool Ok, int ProcessId, string Role, string? Error = null, string? Status = null, bool Driving = false);

/// <summary>A control socket cannot be reached or did not answer.</summary>
public sealed class ControlUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, naming the socket.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ControlUnreachableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

internal static class ControlJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
