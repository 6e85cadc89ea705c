using Akka.Configuration;
using Akka.Persistence.TestKit;
using Orchestra.Persistence.Tests.Conformance;
using Xunit.Abstractions;

namespace Orchestra.Persistence.Tests.Backends;

/// <summary>
/// The suite against Akka's in-memory journal (Akka.Persistence.TestKit's <see cref="TestJournal"/>, which is
/// Akka's memory journal with failure injection) and Akka's in-memory snapshot store: the reference the Orchestra
/// plugins must behave like.
/// </summary>
[WithoutOrchestraGuarantees("Akka's in-memory journal has no leases to fence with, does not serialize, and stores a duplicate sequence number instead of rejecting it.")]
public sealed class InMemoryPluginConformanceTests(ITestOutputHelper output)
    : PluginConformanceSpec(Hocon, output)
{
    private static readonly Config Hocon = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    protected override string? StoreKey => null;

    protected override Task BreakJournalWritesAsync() => TestJournal.FromRef(Journal).OnWrite.Fail();

    protected override Task DropStoreAsync() => Task.CompletedTask;
}
