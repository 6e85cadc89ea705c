using Akka.Actor.Setup;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence;

/// <summary>
/// Gives the Orchestra plugins of an actor system the serializer of Orchestra's events and snapshot states
/// (their stable manifests). Add it to the <c>ActorSystemSetup</c>, or let the Akka.Hosting extensions add it.
/// </summary>
/// <param name="serializer">The serializer whose registry names every event and state type the actors persist.</param>
public sealed class OrchestraPersistenceSetup(EventSerializer serializer) : Setup
{
    /// <summary>The serializer of Orchestra's events and snapshot states.</summary>
    public EventSerializer Serializer { get; } = serializer ?? throw new ArgumentNullException(nameof(serializer));
}
