using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Orchestra.Application.Templates.Imports;

/// <summary>
/// Fetched imports kept on disk, by URL: <c>KEY.yaml</c> holds the bytes and <c>KEY.json</c> records the fetch (URL, where the content
/// came from after redirects, when, size, SHA-256), KEY being the SHA-256 of the URL. The record is written last, so an entry without
/// one does not exist; a record whose URL or SHA-256 does not match is a damaged entry, treated as absent.
/// </summary>
/// <remarks>Thread- and process-safe: entries are written to temporary files and renamed into place; two writers of one URL both succeed.</remarks>
internal sealed class ImportCache(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>A fetch as recorded, with its content.</summary>
    public sealed record Entry(Uri Url, Uri ContentUrl, DateTimeOffset FetchedAt, byte[] Content);

    private sealed record Record(string Url, string ContentUrl, DateTimeOffset FetchedAt, long Bytes, string Sha256);

    /// <summary>The entry for <paramref name="url"/>; null when there is none, or a damaged one (<paramref name="damage"/> then says what).</summary>
    public Entry? TryRead(Uri url, out string? damage)
    {
        damage = null;
        var (content, record) = Paths(url);
        if (!File.Exists(record))
        {
            return null;
        }

        try
        {
            var fetch = JsonSerializer.Deserialize<Record>(File.ReadAllBytes(record));
            var bytes = File.ReadAllBytes(content);
            if (fetch is null || fetch.Url != url.AbsoluteUri || fetch.Bytes != bytes.LongLength || fetch.Sha256 != Sha256(bytes))
            {
                damage = "its record does not match its content";
                return null;
            }

            return new Entry(url, new Uri(fetch.ContentUrl), fetch.FetchedAt, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or UriFormatException)
        {
            damage = e.Message;
            return null;
        }
    }

    /// <summary>Records a fetch: the content first, then the record that makes it an entry.</summary>
    /// <exception cref="IOException">The cache directory cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The cache directory cannot be written.</exception>
    public void Write(Uri url, Uri contentUrl, DateTimeOffset fetchedAt, byte[] bytes)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var (content, record) = Paths(url);
        var json = JsonSerializer.SerializeToUtf8Bytes(new Record(url.AbsoluteUri, contentUrl.AbsoluteUri, fetchedAt, bytes.LongLength, Sha256(bytes)));
        Replace(content, bytes);
        Replace(record, json);
    }

    private static void Replace(string path, byte[] bytes)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    private (string Content, string Record) Paths(Uri url)
    {
        var key = Sha256(Encoding.UTF8.GetBytes(url.AbsoluteUri))[..40];
        return (Path.Combine(Directory, key + ".yaml"), Path.Combine(Directory, key + ".json"));
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
