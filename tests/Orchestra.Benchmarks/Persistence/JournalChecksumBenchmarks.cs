using System.Text;
using BenchmarkDotNet.Attributes;
using Orchestra.Actors.Persistence;

namespace Orchestra.Benchmarks.Persistence;

/// <summary>
/// What the checksum written and verified with every journal row costs (<see cref="JournalChecksum"/>, CRC-32C): against
/// copying the payload once (<see cref="CopyPayload"/>, which every append already does) for typical engine event sizes.
/// </summary>
[MemoryDiagnoser]
public class JournalChecksumBenchmarks
{
    private byte[] _payload = [];

    /// <summary>Payload size in bytes (a task event is a few hundred bytes; a submission with its plan a few KB).</summary>
    [Params(256, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup() => _payload = Encoding.UTF8.GetBytes(new string('x', Size));

    /// <summary>The baseline: one copy of the payload.</summary>
    [Benchmark(Baseline = true)]
    public byte[] CopyPayload() => _payload.AsSpan().ToArray();

    /// <summary>The checksum of one event.</summary>
    [Benchmark]
    public long Checksum() => JournalChecksum.Compute("deployment-webapp", 42, "engine.task-succeeded.v1", _payload);
}
