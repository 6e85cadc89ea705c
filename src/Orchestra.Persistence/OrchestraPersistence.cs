using System.Collections.Concurrent;
using Akka.Actor;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Serialization;

namespace Orchestra.Persistence;

/// <summary>
/// The actor-system extension behind the Orchestra plugins: it opens each database once for the journal and the
/// snapshot plugin that name it, hands the application the same stores (for leases), and closes them when the actor
/// system has terminated.
/// </summary>
/// <remarks>
/// <para>
/// Lifecycle: a store is <b>opening</b> from the first <see cref="GetOrOpen"/> of its key, <b>open</b> once that task
/// completed, <b>closing</b> after the actor system terminated (queued writes are committed first), then
/// <b>closed</b> (<see cref="WhenClosed"/> completes). A store that failed to open stays failed: every plugin call
/// on it fails with the same exception (restart the actor system to retry). Thread-safe.
/// </para>
/// </remarks>
public sealed class OrchestraPersistence : IExtension
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OrchestraPluginStore>>> _stores = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal OrchestraPersistence(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<OrchestraPersistenceSetup>();
        var events = setup.HasValue ? setup.Value.Serializer : new EventSerializer(new EventTypeRegistry());
        Serializer = new PayloadSerializer(events, system);
        system.RegisterOnTermination(() => _ = CloseAllAsync());
    }

    /// <summary>The serializer the plugins use (Orchestra's stable manifests, Akka's serializers for Akka's types).</summary>
    public PayloadSerializer Serializer { get; }

    /// <summary>Completes when every store opened here is closed, after the actor system terminated.</summary>
    public Task WhenClosed => _closed.Task;

    /// <summary>Gets the extension of <paramref name="system"/>.</summary>
    /// <param name="system">The actor system.</param>
    public static OrchestraPersistence Get(ActorSystem system) => system.WithExtension<OrchestraPersistence, OrchestraPersistenceProvider>();

    /// <summary>Returns the store opened under <paramref name="key"/>, opening it with <paramref name="open"/> the first time.</summary>
    /// <param name="key">Identifies the database (the backend and its file or connection string and schema).</param>
    /// <param name="open">Opens the database; called at most once per key.</param>
    /// <returns>The opening or open store.</returns>
    public Task<OrchestraPluginStore> GetOrOpen(string key, Func<Task<OrchestraPluginStore>> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(open);
        return _stores.GetOrAdd(key, _ => new Lazy<Task<OrchestraPluginStore>>(() => Task.Run(open))).Value;
    }

    /// <summary>Shares an already open store under <paramref name="key"/>, unless one is there already; returns the one that is.</summary>
    /// <param name="key">The store key.</param>
    /// <param name="store">The open store.</param>
    internal Task<OrchestraPluginStore> GetOrAdd(string key, OrchestraPluginStore store) =>
        _stores.GetOrAdd(key, new Lazy<Task<OrchestraPluginStore>>(Task.FromResult(store))).Value;

    /// <summary>
    /// Returns the store a plugin opened under <paramref name="key"/> (e.g. for the application's lease store), or
    /// <see langword="null"/> if no plugin opened it yet.
    /// </summary>
    /// <param name="key">The store key (see the backend's plugin for how it is formed).</param>
    public Task<OrchestraPluginStore>? Find(string key) => _stores.TryGetValue(key, out var store) ? store.Value : null;

    private async Task CloseAllAsync()
    {
        try
        {
            foreach (var store in _stores.Values.Where(s => s.IsValueCreated))
            {
                OrchestraPluginStore opened;
                try
                {
                    // A store still opening is waited for, so that it is closed too.
                    opened = await store.Value.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    continue;
                }

                await opened.DisposeAsync().ConfigureAwait(false);
            }

            _closed.TrySetResult();
        }
        catch (Exception ex)
        {
            _closed.TrySetException(ex);
        }
    }
}

/// <summary>Creates the <see cref="OrchestraPersistence"/> extension (Akka's extension id).</summary>
public sealed class OrchestraPersistenceProvider : ExtensionIdProvider<OrchestraPersistence>
{
    /// <inheritdoc />
    public override OrchestraPersistence CreateExtension(ExtendedActorSystem system) => new(system);
}
