using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestra.Application.Configuration;
using Orchestra.Application.Nodes;
using Orchestra.Application.Templates.Imports;
using Orchestra.Engine;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Files;
using Orchestra.Server.Templates;

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
    private readonly FileAccessPolicy _files;
    private readonly CancellationTokenSource _stopping = new();
    private OrchestraNode? _node;
    private Task? _scan;
    private volatile bool _ready;
    private int _disposed;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The node's settings.</param>
    /// <param name="engine">The engine's settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Loggers.</param>
    /// <param name="templates">The allowed template directories, which also bound what templates read and run.</param>
    public OrchestraNodeService(IOptions<OrchestraOptions> options, IOptions<EngineOptions> engine, TimeProvider time, ILoggerFactory loggerFactory, TemplateDirectoryPolicy templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _engine = engine.Value;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<OrchestraNodeService>();
        _files = templates.Files;
    }

    /// <summary>The store this node uses, in words for messages (<see cref="Application.Configuration.StoreOptions.Describe"/>: no password).</summary>
    public string Store => _options.Store.Describe();

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
        // The server fetches imports by URL only from its allowed hosts (none unless configured).
        _options.Compiler = _options.Compiler.WithImportFetcher(HttpImportFetcher.ForServer(_options, _time, _loggerFactory.CreateLogger<HttpImportFetcher>()));
        _node = await OrchestraNode.StartAsync(
            new OrchestraNodeSettings { Orchestra = _options, Engine = _engine, TimeProvider = _time, FileAccess = _files, Role = NodeRole.Server }, _loggerFactory, cancellationToken).ConfigureAwait(false);
        var recovered = await TakeOverAsync(_node, cancellationToken).ConfigureAwait(false);
        RecoveredCount = recovered.Count;
        LogStarted(_logger, _node.Owner, _options.Store.Provider, recovered.Count);
        _ready = true;
        _scan = ScanAsync(_node, _stopping.Token);
    }

    // Frees the leases that processes of this machine left when they died (a killed server or CLI), then starts every
    // unfinished deployment whose lease is free. Deployments leased by a live owner elsewhere are left to it.
    private static async Task<IReadOnlyList<string>> TakeOverAsync(OrchestraNode node, CancellationToken cancellationToken)
    {
        foreach (var deployment in await node.Deployments.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!deployment.Status.IsSettled())
            {
                await node.Leases.ReleaseIfHolderDeadAsync(deployment.DeploymentId, deployment.Run, cancellationToken).ConfigureAwait(false);
            }
        }

        return await node.Deployments.RecoverAllAsync(cancellationToken).ConfigureAwait(false);
    }

    // The takeover scan: when another owner dies, its leases expire (or its process is proven dead) and this node carries
    // its deployments on.
    private async Task ScanAsync(OrchestraNode node, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Leases.TakeoverScanInterval, _time, cancellationToken).ConfigureAwait(false);
                var taken = await TakeOverAsync(node, cancellationToken).ConfigureAwait(false);
                if (taken.Count > 0)
                {
                    LogTakenOver(_logger, taken.Count, string.Join(", ", taken));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogScanFailed(_logger, e);
            }
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_scan is { } scan)
        {
            await scan.ConfigureAwait(false);
            _scan = null;
        }

        if (_node is { } node)
        {
            _node = null;
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Idempotent: the container may dispose the service once as itself and once as a hosted service.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over {Count} unfinished deployments: {DeploymentIds}")]
    private static partial void LogTakenOver(ILogger logger, int count, string deploymentIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The takeover scan failed; it runs again at the next interval")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orchestra node {Owner} started on the {Store} store; {Recovered} unfinished deployments recovered")]
    private static partial void LogStarted(ILogger logger, string owner, StoreProvider store, int recovered);
}
