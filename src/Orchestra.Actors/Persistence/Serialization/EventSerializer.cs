using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestra.Actors.Persistence;

/// <summary>
/// Serializes events and snapshots with System.Text.Json under the stable manifests of an <see cref="EventTypeRegistry"/>.
/// </summary>
/// <remarks>Thread-safe. The payload is UTF-8 JSON.</remarks>
public sealed class EventSerializer
{
    /// <summary>
    /// The JSON settings used when none are given: <see cref="JsonSerializerDefaults.Web"/> (camelCase names,
    /// case-insensitive reads, numbers allowed as strings).
    /// </summary>
    public static JsonSerializerOptions DefaultJsonOptions { get; } = CreateDefaultOptions();

    private readonly EventTypeRegistry _registry;
    private readonly JsonSerializerOptions _json;

    /// <summary>Creates a serializer.</summary>
    /// <param name="registry">The manifests.</param>
    /// <param name="jsonOptions">The JSON settings, or <see langword="null"/> for <see cref="DefaultJsonOptions"/>.</param>
    public EventSerializer(EventTypeRegistry registry, JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _json = jsonOptions ?? DefaultJsonOptions;
    }

    /// <summary>The registry of manifests.</summary>
    public EventTypeRegistry Registry => _registry;

    /// <summary>Serializes <paramref name="event"/> under its registered manifest.</summary>
    /// <param name="event">The event (its runtime type must be registered).</param>
    /// <returns>The manifest and the UTF-8 JSON payload.</returns>
    /// <exception cref="EventSerializationException">The type is not registered or cannot be serialized.</exception>
    public SerializedEvent Serialize(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        if (!_registry.TryGetManifest(type, out var manifest))
        {
            throw new EventSerializationException(type, $"{type} has no manifest: register it with EventTypeRegistry.Register<{type.Name}>(\"name.v1\").");
        }

        try
        {
            return new SerializedEvent(manifest, JsonSerializer.SerializeToUtf8Bytes(@event, type, _json));
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new EventSerializationException(type, $"{type} ('{manifest}') could not be serialized: {ex.Message}", ex);
        }
    }

    /// <summary>Serializes <paramref name="event"/> as an <see cref="EventToAppend"/> with sequence number <paramref name="sequenceNr"/>.</summary>
    /// <param name="sequenceNr">The sequence number.</param>
    /// <param name="event">The event.</param>
    /// <exception cref="EventSerializationException">The type is not registered or cannot be serialized.</exception>
    public EventToAppend ToAppend(long sequenceNr, object @event)
    {
        var serialized = Serialize(@event);
        return new EventToAppend(sequenceNr, serialized.Manifest, serialized.Payload);
    }

    /// <summary>Deserializes a payload stored under <paramref name="manifest"/> (following aliases and upcasts).</summary>
    /// <param name="manifest">The stored manifest.</param>
    /// <param name="payload">The stored payload.</param>
    /// <returns>The event.</returns>
    /// <exception cref="EventDeserializationException">The manifest is unknown, or the payload is not valid for it.</exception>
    public object Deserialize(string manifest, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!_registry.TryResolve(manifest, out var type, out var upcasts))
        {
            throw new EventDeserializationException(manifest, $"Unknown event manifest '{manifest}': no type, alias or upcaster is registered for it.");
        }

        try
        {
            object? result;
            if (upcasts is null)
            {
                result = JsonSerializer.Deserialize(payload, type!, _json);
            }
            else
            {
                var node = JsonNode.Parse(payload) ?? throw new JsonException("The payload is JSON null.");
                foreach (var upcast in upcasts)
                {
                    node = upcast(node) ?? throw new JsonException("An upcaster returned null.");
                }

                result = node.Deserialize(type!, _json);
            }

            return result ?? throw new JsonException("The payload is JSON null.");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new EventDeserializationException(manifest, $"The payload of event manifest '{manifest}' ({type}) could not be deserialized: {ex.Message}", ex);
        }
    }

    /// <summary>Deserializes a stored event; errors name its persistence id and sequence number.</summary>
    /// <param name="event">The stored event.</param>
    /// <returns>The event.</returns>
    /// <exception cref="EventDeserializationException">The manifest is unknown, or the payload is not valid for it.</exception>
    public object Deserialize(JournalEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        try
        {
            return Deserialize(@event.Manifest, @event.Payload.Span);
        }
        catch (EventDeserializationException ex)
        {
            throw ex.WithSource(@event.PersistenceId, @event.SequenceNr);
        }
    }

    /// <summary>Deserializes a snapshot; errors name its persistence id and sequence number.</summary>
    /// <param name="snapshot">The stored snapshot.</param>
    /// <returns>The state.</returns>
    /// <exception cref="EventDeserializationException">The manifest is unknown, or the payload is not valid for it.</exception>
    public object Deserialize(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        try
        {
            return Deserialize(snapshot.Manifest, snapshot.Payload.Span);
        }
        catch (EventDeserializationException ex)
        {
            throw ex.WithSource(snapshot.PersistenceId, snapshot.SequenceNr);
        }
    }

    private static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>A serialized event: its manifest and UTF-8 JSON payload.</summary>
/// <param name="Manifest">The stable manifest.</param>
/// <param name="Payload">The UTF-8 JSON.</param>
public readonly record struct SerializedEvent(string Manifest, byte[] Payload);
