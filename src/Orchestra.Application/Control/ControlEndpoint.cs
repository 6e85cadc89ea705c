using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orchestra.Application.Configuration;

namespace Orchestra.Application.Control;

/// <summary>
/// Serves this process's control socket (<see cref="ControlSocket"/>): accepts connections, reads one request each and answers it with
/// the handler.
/// </summary>
/// <remarks>
/// States: listening (from <see cref="TryStart"/>) → closed (<see cref="DisposeAsync"/>: the listener closes, the socket file is removed,
/// requests in flight are cancelled). A connection that sends nothing within <see cref="ControlOptions.RequestTimeout"/>, or a line longer
/// than <see cref="ControlOptions.MaxMessageBytes"/>, is closed. Failing to listen (a read-only store, a directory of another user) is not an
/// error of the process: it is logged, and other processes are told that this one cannot be reached.
/// </remarks>
internal sealed partial class ControlEndpoint : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _path;
    private readonly ControlOptions _options;
    private readonly Func<ControlRequest, CancellationToken, Task<ControlAnswer>> _handle;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _accepting;

    private ControlEndpoint(Socket listener, string path, ControlOptions options, Func<ControlRequest, CancellationToken, Task<ControlAnswer>> handle, ILogger logger)
    {
        _listener = listener;
        _path = path;
        _options = options;
        _handle = handle;
        _logger = logger;
        _accepting = AcceptAsync();
    }

    /// <summary>Listens on <c>DIRECTORY/PID.sock</c> for this process.</summary>
    /// <param name="directory">The control directory (created 0700 if missing).</param>
    /// <param name="options">Limits.</param>
    /// <param name="handle">Answers a request: the reply, and for <c>act</c> what to send as a second line once the deployment has settled.</param>
    /// <param name="logger">Where failures to listen or to answer are logged.</param>
    /// <returns>The endpoint, or <see langword="null"/> when it cannot listen (logged).</returns>
    public static ControlEndpoint? TryStart(
        string directory, ControlOptions options, Func<ControlRequest, CancellationToken, Task<ControlAnswer>> handle, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var path = ControlSocket.PathOf(directory, Environment.ProcessId);
        Socket? listener = null;
        try
        {
            const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(directory, OwnerOnly);
            File.SetUnixFileMode(directory, OwnerOnly);

            // A socket file with this pid is a dead predecessor's: that pid is ours now.
            File.Delete(path);
            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
            return new ControlEndpoint(listener, path, options, handle, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException or ArgumentException)
        {
            listener?.Dispose();
            LogCannotListen(logger, e, path);
            return null;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                ControlRequest? request;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token))
                {
                    timeout.CancelAfter(_options.RequestTimeout);
                    request = await ControlSocket.ReadLineAsync<ControlRequest>(connection, _options.MaxMessageBytes, timeout.Token).ConfigureAwait(false);
                }

                if (request is null)
                {
                    return;
                }

                var answer = await _handle(request, _closing.Token).ConfigureAwait(false);
                await ControlSocket.WriteLineAsync(connection, answer.Reply, _closing.Token).ConfigureAwait(false);
                if (answer.Then is { } then)
                {
                    await ControlSocket.WriteLineAsync(connection, await then(_closing.Token).ConfigureAwait(false), _closing.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or JsonException or ObjectDisposedException)
            {
                LogRequestFailed(_logger, e, _path);
            }
        }
    }

    /// <summary>Stops listening and removes the socket file.</summary>
    /// <returns>A task that completes when the listener is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        try
        {
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next process that finds it sees its pid gone and removes it.
        }

        _closing.Dispose();
    }

    [LoggerMessage(EventId = ApplicationEventIds.ControlCannotListen, Level = LogLevel.Information,
        Message = "Cannot serve the control socket {Path}; other processes cannot send commands to the deployments this one drives")]
    private static partial void LogCannotListen(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = ApplicationEventIds.ControlRequestFailed, Level = LogLevel.Debug, Message = "A request on the control socket {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string path);
}

/// <summary>What a control request is answered with.</summary>
/// <param name="Reply">The first reply line.</param>
/// <param name="Then">What to send afterwards on the same connection (the settled deployment), if anything.</param>
internal sealed record ControlAnswer(ControlReply Reply, Func<CancellationToken, Task<ControlReply>>? Then = null);
