using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// The directory of <see cref="ProcessRecord"/> files: one file per idempotency key (<c>&lt;sha256 of the key&gt;.json</c>), written
/// atomically (a temporary file renamed over it), so a reader sees a whole record or none.
/// </summary>
/// <remarks>
/// Thread-safe. Within a process, writes and removals are serialized, and a removal only deletes a file whose content is still
/// what the caller read or wrote: an execution that winds down late never deletes the record of the attempt that followed it.
/// Across processes the deployment lease guarantees one driver per deployment. Methods throw <see cref="IOException"/> or
/// <see cref="UnauthorizedAccessException"/> when the directory cannot be written.
/// </remarks>
internal sealed class ProcessRecordStore
{
    private const string Extension = ".json";
    private static readonly Lock Gate = new();

    /// <summary>Creates the store over <paramref name="directory"/> (created on the first write).</summary>
    /// <param name="directory">The directory.</param>
    public ProcessRecordStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The directory's full path.</summary>
    public string Directory { get; }

    /// <summary>The file of the record of <paramref name="idempotencyKey"/>.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <returns>The path.</returns>
    public string PathOf(string idempotencyKey) =>
        Path.Combine(Directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))) + Extension);

    /// <summary>Every record file (for a sweep).</summary>
    /// <returns>The paths; empty if the directory does not exist.</returns>
    public IReadOnlyList<string> List() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "*" + Extension) : [];

    /// <summary>Writes (or replaces) the record of its idempotency key.</summary>
    /// <param name="record">The record.</param>
    /// <returns>What was written, to remove it later with <see cref="RemoveIfUnchanged"/>.</returns>
    public StoredRecord Write(ProcessRecord record)
    {
        var path = PathOf(record.IdempotencyKey);
        var text = JsonSerializer.Serialize(record, ProcessRecordJson.Default.ProcessRecord);
        var temp = Path.Combine(Directory, $".{Guid.NewGuid():N}.tmp");
        lock (Gate)
        {
            System.IO.Directory.CreateDirectory(Directory);
            try
            {
                File.WriteAllText(temp, text);
                File.Move(temp, path, overwrite: true);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        return new StoredRecord(path, text, record);
    }

    /// <summary>Reads the record of <paramref name="idempotencyKey"/>.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <returns>Nothing, the record, or why the file is unusable (with its content, to remove it).</returns>
    public RecordRead Read(string idempotencyKey) => ReadFile(PathOf(idempotencyKey), idempotencyKey);

    /// <summary>Reads one record file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="idempotencyKey">The key it must be for, or <see langword="null"/> for any.</param>
    /// <returns>Nothing, the record, or why the file is unusable (with its content, to remove it).</returns>
    public static RecordRead ReadFile(string path, string? idempotencyKey)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new RecordRead(path, null, null, null);
        }

        ProcessRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(text, ProcessRecordJson.Default.ProcessRecord);
        }
        catch (JsonException e)
        {
            return new RecordRead(path, text, null, $"not a process record ({e.Message})");
        }

        var problem = record is null ? "not a process record (null)"
            : record.Problem() is { } p ? p
            : idempotencyKey is not null && !string.Equals(record.IdempotencyKey, idempotencyKey, StringComparison.Ordinal)
                ? $"it is for another operation ({record.IdempotencyKey})"
            : null;
        return problem is null ? new RecordRead(path, text, record, null) : new RecordRead(path, text, null, problem);
    }

    /// <summary>Deletes <paramref name="path"/> if it still holds <paramref name="text"/> (and nothing written since).</summary>
    /// <param name="path">The file.</param>
    /// <param name="text">The content read or written earlier.</param>
    /// <returns>Whether it was deleted (false if it changed or is already gone).</returns>
    public static bool RemoveIfUnchanged(string path, string text)
    {
        lock (Gate)
        {
            string current;
            try
            {
                current = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return false;
            }

            if (!string.Equals(current, text, StringComparison.Ordinal))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: lookups read only *.json.
        }
    }
}

/// <summary>A record as written by <see cref="ProcessRecordStore.Write"/>.</summary>
/// <param name="Path">Its file.</param>
/// <param name="Text">Its content.</param>
/// <param name="Record">The record.</param>
internal sealed record StoredRecord(string Path, string Text, ProcessRecord Record);

/// <summary>The outcome of reading a record file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Text">Its content, or <see langword="null"/> if there is no file.</param>
/// <param name="Record">The record, when the file holds a valid one.</param>
/// <param name="Problem">Why the file is unusable (corrupt, unknown version, another key), when it is.</param>
internal sealed record RecordRead(string Path, string? Text, ProcessRecord? Record, string? Problem);
