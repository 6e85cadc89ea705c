using System.Globalization;
using Akka.Actor;
using Orchestra.Actors.Persistence;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace Orchestra.Persistence.Serialization;

/// <summary>
/// Turns events and snapshot states into a stable manifest and bytes, and back: Orchestra's types through the
/// <see cref="EventSerializer"/> (System.Text.Json under the manifests of its <see cref="EventTypeRegistry"/>),
/// Akka's own types (sharding, cluster, primitives) through the serializer Akka binds to them.
/// </summary>
/// <remarks>
/// <para>
/// Why the plugin serializes instead of registering an Akka <c>Serializer</c>: the journal row holds a stable
/// manifest and the payload, exactly what <see cref="EventSerializer"/> produces, so journals written by the
/// home-made runtime keep replaying unchanged; an Akka serializer would add its numeric id to every row and need a
/// HOCON binding per CLR type, a second registry beside <see cref="EventTypeRegistry"/>.
/// </para>
/// <para>
/// Akka's types are stored under <c>akka:&lt;serializer id&gt;:&lt;serializer manifest&gt;</c>, stable because
/// Akka's serializer ids and manifests are. A type that is neither registered nor bound to one of Akka's own
/// serializers (it would fall to Akka's catch-all JSON serializer, which writes CLR type names) is refused with an
/// <see cref="EventSerializationException"/>: the write is rejected, nothing is stored.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class PayloadSerializer
{
    /// <summary>The prefix of the manifests of payloads serialized by Akka (reserved: register no manifest with it).</summary>
    public const string AkkaManifestPrefix = "akka:";

    private const int NewtonsoftJsonSerializerId = 1;

    private readonly EventSerializer _events;
    private readonly AkkaSerialization _akka;

    /// <summary>Creates the serializer.</summary>
    /// <param name="events">Orchestra's stable-manifest serializer.</param>
    /// <param name="system">The actor system whose serializers handle Akka's own types.</param>
    public PayloadSerializer(EventSerializer events, ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(system);
        _events = events;
        _akka = system.Serialization;
    }

    /// <summary>Serializes <paramref name="value"/>.</summary>
    /// <param name="value">An event or a snapshot state.</param>
    /// <returns>The stable manifest and the bytes.</returns>
    /// <exception cref="EventSerializationException">The type has no manifest and Akka has no serializer of its own for it.</exception>
    public SerializedEvent Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var type = value.GetType();
        if (_events.Registry.TryGetManifest(type, out _))
        {
            return _events.Serialize(value);
        }

        var serializer = _akka.FindSerializerFor(value);
        if (serializer.Identifier == NewtonsoftJsonSerializerId)
        {
            throw new EventSerializationException(
                type,
                $"{type} has no manifest: register it with EventTypeRegistry.Register<{type.Name}>(\"name.v1\") (the journal stores no CLR type names).");
        }

        var manifest = AkkaSerialization.ManifestFor(serializer, value);
        return new SerializedEvent(
            string.Create(CultureInfo.InvariantCulture, $"{AkkaManifestPrefix}{serializer.Identifier}:{manifest}"),
            serializer.ToBinary(value));
    }

    /// <summary>Deserializes a payload stored under <paramref name="manifest"/>.</summary>
    /// <param name="manifest">The stored manifest.</param>
    /// <param name="payload">The stored bytes.</param>
    /// <param name="persistenceId">The persistence id, named in errors.</param>
    /// <param name="sequenceNr">The sequence number, named in errors.</param>
    /// <returns>The event or state.</returns>
    /// <exception cref="EventDeserializationException">The manifest is unknown or the payload does not fit it.</exception>
    public object Deserialize(string manifest, ReadOnlyMemory<byte> payload, string persistenceId, long sequenceNr)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!manifest.StartsWith(AkkaManifestPrefix, StringComparison.Ordinal))
        {
            try
            {
                return _events.Deserialize(manifest, payload.Span);
            }
            catch (EventDeserializationException ex)
            {
                throw ex.WithSource(persistenceId, sequenceNr);
            }
        }

        var rest = manifest.AsSpan(AkkaManifestPrefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0 || !int.TryParse(rest[..colon], NumberStyles.Integer, CultureInfo.InvariantCulture, out var serializerId))
        {
            throw new EventDeserializationException(manifest, $"Malformed Akka manifest '{manifest}'.", null, persistenceId, sequenceNr);
        }

        try
        {
            return _akka.Deserialize(payload.ToArray(), serializerId, rest[(colon + 1)..].ToString());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new EventDeserializationException(
                manifest, $"The payload of '{manifest}' could not be deserialized by Akka: {ex.Message}", ex, persistenceId, sequenceNr);
        }
    }
}
