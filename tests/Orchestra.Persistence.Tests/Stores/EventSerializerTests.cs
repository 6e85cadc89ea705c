using System.Text;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Tests.Stores;

[Trait("Category", "Unit")]
public sealed class EventSerializerTests
{
    private sealed record TaskSucceeded(string TaskId, int Attempt);

    private sealed record TaskFailed(string TaskId, string Reason, int Attempt);

    private sealed record Unregistered(int X);

    [Fact]
    public void Serialize_ThenDeserialize_RoundTripsUnderTheStableManifest()
    {
        var serializer = new EventSerializer(new EventTypeRegistry().Register<TaskSucceeded>("task-succeeded.v1"));

        var serialized = serializer.Serialize(new TaskSucceeded("t-1", 2));

        Assert.Equal("task-succeeded.v1", serialized.Manifest);
        Assert.Equal("""{"taskId":"t-1","attempt":2}""", Encoding.UTF8.GetString(serialized.Payload));
        Assert.Equal(new TaskSucceeded("t-1", 2), serializer.Deserialize(serialized.Manifest, serialized.Payload));
    }

    [Fact]
    public void Serialize_UnregisteredType_ThrowsNamingTheType()
    {
        var serializer = new EventSerializer(new EventTypeRegistry());

        var ex = Assert.Throws<EventSerializationException>(() => serializer.Serialize(new Unregistered(1)));

        Assert.Equal(typeof(Unregistered), ex.EventType);
        Assert.Contains(nameof(Unregistered), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownManifest_ThrowsNamingTheManifest()
    {
        var serializer = new EventSerializer(new EventTypeRegistry());

        var ex = Assert.Throws<EventDeserializationException>(() => serializer.Deserialize("gone.v1", "{}"u8));

        Assert.Equal("gone.v1", ex.Manifest);
        Assert.Contains("gone.v1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("""{"taskId": 5, "attempt": "x"}""")]
    [InlineData("")]
    public void Deserialize_CorruptPayload_ThrowsNamingTheManifest(string payload)
    {
        var serializer = new EventSerializer(new EventTypeRegistry().Register<TaskSucceeded>("task-succeeded.v1"));

        var ex = Assert.Throws<EventDeserializationException>(() => serializer.Deserialize("task-succeeded.v1", Encoding.UTF8.GetBytes(payload)));

        Assert.Equal("task-succeeded.v1", ex.Manifest);
        Assert.Contains("task-succeeded.v1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_StoredEvent_NamesPersistenceIdAndSequenceNr()
    {
        var serializer = new EventSerializer(new EventTypeRegistry());
        var stored = new JournalEvent("deployment-7", 42, "gone.v1", "{}"u8.ToArray(), null, 0, 1, DateTimeOffset.UnixEpoch);

        var ex = Assert.Throws<EventDeserializationException>(() => serializer.Deserialize(stored));

        Assert.Equal(("deployment-7", 42L, "gone.v1"), (ex.PersistenceId, ex.SequenceNr, ex.Manifest));
        Assert.Contains("deployment-7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_AliasedOldManifest_ReadsAsTheCurrentType()
    {
        var registry = new EventTypeRegistry().Register<TaskSucceeded>("task-succeeded.v1").AddAlias("TaskSucceeded", "task-succeeded.v1");
        var serializer = new EventSerializer(registry);

        Assert.Equal(new TaskSucceeded("t", 1), serializer.Deserialize("TaskSucceeded", """{"taskId":"t","attempt":1}"""u8));
    }

    [Fact]
    public void Deserialize_UpcastChain_TransformsOldShapes()
    {
        var registry = new EventTypeRegistry()
            .Register<TaskFailed>("task-failed.v3")
            .AddUpcaster("task-failed.v1", "task-failed.v2", node =>
            {
                node["reason"] = node["error"]?.DeepClone();
                node.AsObject().Remove("error");
                return node;
            })
            .AddUpcaster("task-failed.v2", "task-failed.v3", node =>
            {
                node["attempt"] = 1;
                return node;
            });
        var serializer = new EventSerializer(registry);

        var upcast = serializer.Deserialize("task-failed.v1", """{"taskId":"t","error":"boom"}"""u8);

        Assert.Equal(new TaskFailed("t", "boom", 1), upcast);
        Assert.Equal(new TaskFailed("t", "x", 4), serializer.Deserialize("task-failed.v3", """{"taskId":"t","reason":"x","attempt":4}"""u8));
    }

    [Fact]
    public void Register_ConflictingManifestOrType_Throws()
    {
        var registry = new EventTypeRegistry().Register<TaskSucceeded>("task-succeeded.v1");

        Assert.Throws<ArgumentException>(() => registry.Register<TaskFailed>("task-succeeded.v1"));
        Assert.Throws<ArgumentException>(() => registry.Register<TaskSucceeded>("other.v1"));
        Assert.Throws<ArgumentException>(() => registry.AddAlias("task-succeeded.v1", "x"));
        registry.Register<TaskSucceeded>("task-succeeded.v1");
    }
}
