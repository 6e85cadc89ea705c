using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Orchestra.Actors.Persistence;

/// <summary>
/// The checksum every store writes beside a journal event or snapshot and verifies when it reads it back: CRC-32C
/// (hardware-accelerated) over the persistence id, sequence number, manifest and payload, each length-prefixed.
/// </summary>
/// <remarks>
/// It detects accidental change (a flipped bit or byte, a truncated value, a row moved to another sequence number),
/// not a deliberate forgery: whoever can write the file can recompute it. Rows written before checksums existed have
/// none and are read unverified.
/// </remarks>
public static class JournalChecksum
{
    /// <summary>Computes the checksum of one event or snapshot.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNr">The sequence number.</param>
    /// <param name="manifest">The manifest.</param>
    /// <param name="payload">The serialized payload.</param>
    /// <returns>The CRC-32C, as a non-negative number (it fits every store's integer column).</returns>
    public static long Compute(string persistenceId, long sequenceNr, string manifest, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        ArgumentNullException.ThrowIfNull(manifest);
        var crc = 0xFFFFFFFFu;
        crc = AddText(crc, persistenceId);
        crc = BitOperations.Crc32C(crc, (ulong)sequenceNr);
        crc = AddText(crc, manifest);
        crc = BitOperations.Crc32C(crc, (uint)payload.Length);
        crc = AddBytes(crc, payload);
        return ~crc;
    }

    /// <summary>Whether a stored checksum matches the row; a row without one (written before checksums) passes.</summary>
    /// <param name="stored">The stored checksum, or <see langword="null"/> for an old row.</param>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNr">The sequence number.</param>
    /// <param name="manifest">The manifest.</param>
    /// <param name="payload">The serialized payload.</param>
    /// <returns><see langword="false"/> if the row changed after it was written.</returns>
    public static bool Matches(long? stored, string persistenceId, long sequenceNr, string manifest, ReadOnlySpan<byte> payload) =>
        stored is not { } value || value == Compute(persistenceId, sequenceNr, manifest, payload);

    private static uint AddText(uint crc, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        crc = BitOperations.Crc32C(crc, (uint)length);
        if (length <= 512)
        {
            Span<byte> bytes = stackalloc byte[length];
            Encoding.UTF8.GetBytes(text, bytes);
            return AddBytes(crc, bytes);
        }

        return AddBytes(crc, Encoding.UTF8.GetBytes(text));
    }

    private static uint AddBytes(uint crc, ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var word in words)
        {
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        foreach (var b in bytes[(words.Length * sizeof(ulong))..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
