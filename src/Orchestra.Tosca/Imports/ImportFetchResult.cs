namespace Orchestra.Tosca.Imports;

/// <summary>What an <see cref="IImportFetcher"/> answered for one URL.</summary>
public sealed record ImportFetchResult
{
    private ImportFetchResult(ImportFetchStatus status, byte[]? content, Uri? url, string? reason, long? length)
    {
        Status = status;
        Content = content;
        Url = url;
        Reason = reason;
        Length = length;
    }

    /// <summary>Whether the file was fetched, refused or failed.</summary>
    public ImportFetchStatus Status { get; }

    /// <summary>The file's bytes, when <see cref="Status"/> is <see cref="ImportFetchStatus.Fetched"/>.</summary>
    public byte[]? Content { get; }

    /// <summary>
    /// Where the content really came from (after redirects), when fetched: the file's own relative imports resolve against it.
    /// </summary>
    public Uri? Url { get; }

    /// <summary>
    /// Why the file was refused or could not be fetched, in words that complete <c>import "URL" was not fetched: </c>; for
    /// <see cref="ImportFetchStatus.TooLarge"/>, the limit in words.
    /// </summary>
    public string? Reason { get; }

    /// <summary>The size the server announced or the fetcher counted, when <see cref="ImportFetchStatus.TooLarge"/>; null when unknown.</summary>
    public long? Length { get; }

    /// <summary>The file was fetched (or read from a cache of earlier fetches).</summary>
    /// <param name="content">Its bytes.</param>
    /// <param name="url">Where they came from, after redirects.</param>
    /// <returns>The result.</returns>
    public static ImportFetchResult Fetched(byte[] content, Uri url)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(url);
        return new(ImportFetchStatus.Fetched, content, url, null, content.LongLength);
    }

    /// <summary>Policy forbids fetching the URL (fetching is off, its host is not allowed): nothing was sent.</summary>
    /// <param name="reason">Why, and what to change.</param>
    /// <returns>The result.</returns>
    public static ImportFetchResult Refused(string reason) => new(ImportFetchStatus.Refused, null, null, reason, null);

    /// <summary>The fetch was tried and failed (connection, HTTP status, time-out, a redirect that is not followed).</summary>
    /// <param name="reason">What went wrong.</param>
    /// <returns>The result.</returns>
    public static ImportFetchResult Failed(string reason) => new(ImportFetchStatus.Failed, null, null, reason, null);

    /// <summary>The file is larger than the limit it was fetched with; it was not read past it.</summary>
    /// <param name="length">Its announced size, or null when the server did not say.</param>
    /// <param name="limit">The limit in words, completing "more than the limit of ": <c>8388608 bytes (Orchestra:Imports:MaxFileBytes)</c>.</param>
    /// <returns>The result.</returns>
    public static ImportFetchResult TooLarge(long? length, string limit) => new(ImportFetchStatus.TooLarge, null, null, limit, length);
}

/// <summary>The kinds of <see cref="ImportFetchResult"/>.</summary>
public enum ImportFetchStatus
{
    /// <summary>The content is there.</summary>
    Fetched,

    /// <summary>Not fetched, by policy (<c>TOS120</c>).</summary>
    Refused,

    /// <summary>Fetching was tried and failed (<c>TOS121</c>).</summary>
    Failed,

    /// <summary>Over the size limit (<c>TOS004</c>).</summary>
    TooLarge,
}
