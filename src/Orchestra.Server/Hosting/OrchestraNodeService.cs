using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestra.Engine;
using Orchestra.Server.Application;
using Orchestra.Server.Configuration;

namespace Orchestra.Server.Hosting;

/// <summary>
/// Runs the <see cref="OrchestraNode"/> as a hosted service of the web server: opens the store, starts the engine and
/// recovers every unfinished deployment at start; stops the engine and closes the store at shutdown.
/// </summary>
public sealed partial class OrchestraNodeService : IHostedService, IAsyncDisposable
{
    private readonly OrchestraOptions _options;
    private readonly EngineOptions _engine;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private OrchestraNode? _node;
    private volatile bool _ready;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The node's settings.</param>
    /// <param name="engine">The engine's settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Loggers.</param>
    public OrchestraNodeService(IOptions<OrchestraOptions> options, IOptions<EngineOptions> engine, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _engine = engine.Value;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<OrchestraNodeService>();
    }

    /// <summary>The running node.</summary>
    /// <exception cref="InvalidOperationException">The service has not started.</exception>
    public OrchestraNode Node => _node ?? throw new InvalidOperationException("The Orchestra node has not started yet.");

    /// <summary>Whether the node runs and has recovered the unfinished deployments.</summary>
    public bool IsReady => _ready;

    /// <summary>How many deployments were recovered at start.</summary>
    public int RecoveredCount { get; private set; }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _node = await OrchestraNode.StartAsync(
            new OrchestraNodeSettings { Orchestra = _options, Engine = _engine, TimeProvider = _time }, _loggerFactory, cancellationToken).ConfigureAwait(false);
        var recovered = await _node.Deployments.RecoverAllAsync(cancellationToken).ConfigureAwait(false);
        RecoveredCount = recovered.Count;
        LogStarted(_logger, _node.Owner, _options.Store.Provider, recovered.Count);
        _ready = true;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        if (_node is { } node)
        {
            _node = null;
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orchestra node {Owner} started on the {Store} store; {Recovered} unfinished deployments recovered")]
    private static partial void LogStarted(ILogger logger, string owner, StoreProvider store, int recovered);
}
