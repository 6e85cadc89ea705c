using System.Globalization;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;
using Orchestra.Persistence.Sqlite;

// Usage: CrashWriter <database> <writers>
// Each writer owns persistence id "crash-<n>", continues after its highest stored sequence number, appends one
// event at a time and prints "ack <persistence id> <sequence nr>" once the append is acknowledged. Runs until killed.
var database = args[0];
var writers = int.Parse(args[1], CultureInfo.InvariantCulture);
var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = database });
var output = TextWriter.Synchronized(Console.Out);
output.WriteLine("ready");

await Task.WhenAll(Enumerable.Range(0, writers).Select(async n =>
{
    var persistenceId = $"crash-{n}";
    var next = await store.Journal.ReadHighestSequenceNrAsync(persistenceId) + 1;
    while (true)
    {
        // Several events per write now and then, so a torn multi-row write would show up as a gap.
        var count = next % 5 == 0 ? 3 : 1;
        var events = Enumerable.Range(0, count).Select(i => TestEvent.Create(persistenceId, next + i, new string('x', (int)((next + i) % 300)))).ToArray();
        var result = await store.Journal.AppendAsync(new AtomicWrite(persistenceId, events));
        if (!result.IsSuccess)
        {
            output.WriteLine($"rejected {persistenceId} {next} {result}");
            Environment.Exit(2);
        }

        for (var i = 0; i < count; i++)
        {
            output.WriteLine($"ack {persistenceId} {next + i}");
        }

        next += count;
    }
}));
