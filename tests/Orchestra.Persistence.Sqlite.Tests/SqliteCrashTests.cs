using System.Diagnostics;
using System.Globalization;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;

namespace Orchestra.Persistence.Sqlite.Tests;

/// <summary>SIGKILLs a real process that appends through <see cref="SqliteJournal"/> and checks what survived.</summary>
[Trait("Category", "Integration")]
public sealed class SqliteCrashTests : IDisposable
{
    private const int Writers = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly SqliteTestDatabase _db = new();

    public void Dispose() => _db.Delete();

    [Fact]
    public async Task KilledWriter_AtSeveralPoints_LeavesAContiguousIntactPrefixWithEveryAcknowledgedEvent()
    {
        var acknowledged = new Dictionary<string, long>();
        foreach (var killAfter in new[] { 1, 37, 150, 400 })
        {
            var acks = await RunAndKillAsync(killAfter);
            foreach (var (pid, seq) in acks)
            {
                acknowledged[pid] = Math.Max(acknowledged.GetValueOrDefault(pid), seq);
            }

            await using var store = SqlitePersistence.Open(_db.Options());
            for (var n = 0; n < Writers; n++)
            {
                var pid = $"crash-{n}";
                var events = new List<JournalEvent>();
                await foreach (var e in store.Journal.ReadEventsAsync(pid))
                {
                    events.Add(e);
                }

                Assert.Equal(Enumerable.Range(1, events.Count).Select(s => (long)s), events.Select(e => e.SequenceNr));
                Assert.True(events.Count >= acknowledged.GetValueOrDefault(pid), $"{pid}: {events.Count} stored, {acknowledged.GetValueOrDefault(pid)} acknowledged (kill after {killAfter})");
                Assert.All(events, e =>
                {
                    var decoded = Assert.IsType<TestEvent>(TestEvent.Serializer.Deserialize(e));
                    Assert.Equal((pid, e.SequenceNr), (decoded.PersistenceId, decoded.SequenceNr));
                    Assert.Equal(new string('x', (int)(e.SequenceNr % 300)), decoded.Data);
                });
            }
        }

        Assert.True(acknowledged.Values.Sum() >= 400, "the writer acknowledged too little to make the test meaningful");
    }

    private async Task<List<(string Pid, long Seq)>> RunAndKillAsync(int killAfter)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CrashWriterPath());
        start.ArgumentList.Add(_db.Path);
        start.ArgumentList.Add(Writers.ToString(CultureInfo.InvariantCulture));

        using var process = Process.Start(start)!;
        var acks = new List<(string, long)>();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (acks.Count < killAfter)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"The writer exited early: {await process.StandardError.ReadToEndAsync()}");
                var parts = line.Split(' ');
                if (parts[0] == "ack")
                {
                    acks.Add((parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture)));
                }
                else if (parts[0] != "ready")
                {
                    throw new InvalidOperationException($"Unexpected writer output: {line}");
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Lines printed between our last read and the kill were acknowledged too.
        string? rest;
        while ((rest = await process.StandardOutput.ReadLineAsync()) is not null)
        {
            var parts = rest.Split(' ');
            if (parts.Length == 3 && parts[0] == "ack" && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var seq))
            {
                acks.Add((parts[1], seq));
            }
        }

        return acks;
    }

    private static string CrashWriterPath()
    {
        // tests/Orchestra.Persistence.Sqlite.Tests/bin/<configuration>/<tfm>/ -> the sibling project's same output folder.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var testsDir = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testsDir, "Orchestra.Persistence.Sqlite.Tests.CrashWriter", "bin", configuration, tfm, "Orchestra.Persistence.Sqlite.Tests.CrashWriter.dll");
        Assert.True(File.Exists(path), $"The crash writer was not built at {path}.");
        return path;
    }
}
