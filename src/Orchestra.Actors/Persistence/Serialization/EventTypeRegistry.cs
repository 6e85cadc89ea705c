using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Orchestra.Actors.Persistence;

/// <summary>
/// Maps event (and snapshot) CLR types to stable manifest names, and old manifests to current ones.
/// </summary>
/// <remarks>
/// <para>
/// A manifest is stored with every event and must never change once events were written with it:
/// rename the CLR type freely, but keep its manifest (<c>registry.Register&lt;TaskSucceeded&gt;("task-succeeded.v1")</c>).
/// When an event's shape changes incompatibly, register the new shape under a new manifest
/// (<c>"task-succeeded.v2"</c>) and an upcaster from the old one, so old journals keep replaying.
/// </para>
/// <para>Register at start-up; lookups are thread-safe and lock-free, registration is thread-safe.</para>
/// </remarks>
public sealed class EventTypeRegistry
{
    private const int MaxUpcastChain = 32;

    private readonly ConcurrentDictionary<Type, string> _manifestsByType = new();
    private readonly ConcurrentDictionary<string, Type> _typesByManifest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Target, Func<JsonNode, JsonNode>? Upcast)> _legacy = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="manifest"/>.</summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="manifest">The stable name, e.g. <c>task-succeeded.v1</c>.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The manifest or the type is already registered differently.</exception>
    public EventTypeRegistry Register<T>(string manifest) => Register(typeof(T), manifest);

    /// <summary>Registers <paramref name="type"/> under <paramref name="manifest"/>.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="manifest">The stable name.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The manifest or the type is already registered differently.</exception>
    public EventTypeRegistry Register(Type type, string manifest)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(manifest);
        lock (_manifestsByType)
        {
            if (_legacy.ContainsKey(manifest))
            {
                throw new ArgumentException($"Manifest '{manifest}' is already registered as an alias or upcast.", nameof(manifest));
            }

            if (_typesByManifest.TryGetValue(manifest, out var existingType) && existingType != type)
            {
                throw new ArgumentException($"Manifest '{manifest}' is already registered for {existingType}.", nameof(manifest));
            }

            if (_manifestsByType.TryGetValue(type, out var existingManifest) && existingManifest != manifest)
            {
                throw new ArgumentException($"{type} is already registered as '{existingManifest}'.", nameof(type));
            }

            _typesByManifest[manifest] = type;
            _manifestsByType[type] = manifest;
        }

        return this;
    }

    /// <summary>
    /// Declares that events stored under <paramref name="oldManifest"/> have the same JSON shape as
    /// <paramref name="manifest"/> (a renamed manifest).
    /// </summary>
    /// <param name="oldManifest">The manifest found in old journals.</param>
    /// <param name="manifest">The manifest to read them as (registered, or itself an alias/upcast).</param>
    /// <returns>This registry, for chaining.</returns>
    public EventTypeRegistry AddAlias(string oldManifest, string manifest) => AddLegacy(oldManifest, manifest, null);

    /// <summary>
    /// Declares how to turn the JSON of an event stored under <paramref name="oldManifest"/> into the JSON of
    /// <paramref name="manifest"/> (e.g. add a field with a default, rename a property). Chains are followed.
    /// </summary>
    /// <param name="oldManifest">The manifest found in old journals.</param>
    /// <param name="manifest">The manifest the transformed JSON is read as.</param>
    /// <param name="upcast">The transformation; it may modify and return its argument.</param>
    /// <returns>This registry, for chaining.</returns>
    public EventTypeRegistry AddUpcaster(string oldManifest, string manifest, Func<JsonNode, JsonNode> upcast)
    {
        ArgumentNullException.ThrowIfNull(upcast);
        return AddLegacy(oldManifest, manifest, upcast);
    }

    /// <summary>Gets the manifest of <paramref name="type"/>.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="manifest">The manifest, if registered.</param>
    /// <returns>Whether the type is registered.</returns>
    public bool TryGetManifest(Type type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? manifest) =>
        _manifestsByType.TryGetValue(type, out manifest);

    /// <summary>Gets the CLR type registered under the current manifest <paramref name="manifest"/>.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="type">The type, if registered.</param>
    /// <returns>Whether the manifest is registered (aliases and upcasts are not: see <see cref="EventSerializer"/>).</returns>
    public bool TryGetType(string manifest, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _typesByManifest.TryGetValue(manifest, out type);

    /// <summary>
    /// Follows aliases and upcasts from <paramref name="manifest"/> to a registered manifest.
    /// </summary>
    /// <param name="manifest">The stored manifest.</param>
    /// <param name="type">The CLR type to deserialize as.</param>
    /// <param name="upcasts">The JSON transformations to apply in order (empty when none).</param>
    /// <returns>Whether the manifest could be resolved.</returns>
    internal bool TryResolve(string manifest, out Type? type, out List<Func<JsonNode, JsonNode>>? upcasts)
    {
        upcasts = null;
        var current = manifest;
        for (var i = 0; i <= MaxUpcastChain; i++)
        {
            if (_typesByManifest.TryGetValue(current, out type))
            {
                return true;
            }

            if (!_legacy.TryGetValue(current, out var legacy))
            {
                return false;
            }

            if (legacy.Upcast is not null)
            {
                (upcasts ??= []).Add(legacy.Upcast);
            }

            current = legacy.Target;
        }

        type = null;
        return false;
    }

    private EventTypeRegistry AddLegacy(string oldManifest, string manifest, Func<JsonNode, JsonNode>? upcast)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(oldManifest);
        ArgumentException.ThrowIfNullOrWhiteSpace(manifest);
        lock (_manifestsByType)
        {
            if (_typesByManifest.ContainsKey(oldManifest) || _legacy.ContainsKey(oldManifest))
            {
                throw new ArgumentException($"Manifest '{oldManifest}' is already registered.", nameof(oldManifest));
            }

            _legacy[oldManifest] = (manifest, upcast);
        }

        return this;
    }
}
