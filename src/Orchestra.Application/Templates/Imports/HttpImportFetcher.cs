using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Application.Configuration;
using Orchestra.Tosca.Imports;

namespace Orchestra.Application.Templates.Imports;

/// <summary>
/// Fetches templates' imports over HTTP(S), each URL once: the first fetch is recorded in an <see cref="ImportCache"/> beside the store,
/// and every later compilation, offline included, reads it from there.
/// </summary>
/// <remarks>
/// <para>
/// What is fetched is bounded by <see cref="ImportOptions"/> (time, size, redirects) and by where it may come from: a command of the CLI
/// fetches from any host, or from none with <c>--offline</c> (the cache still answers); a server only from
/// <see cref="ServerOptions.AllowedImportHosts"/> (none by default), checked before the cache and at every redirect. A refusal sends
/// nothing.
/// </para>
/// <para>Thread-safe: one instance serves every compilation of a process.</para>
/// </remarks>
public sealed partial class HttpImportFetcher : IImportFetcher
{
    private const string AllowedHostsSetting = "Orchestra:Server:AllowedImportHosts";

    // One client per process, as HttpClient is meant to be used; redirects are followed here, each one checked.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    private readonly ImportOptions _options;
    private readonly ImportCache _cache;
    private readonly IReadOnlyList<string>? _allowedHosts;
    private readonly bool _offline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a fetcher.</summary>
    /// <param name="options">Time, size and redirect limits.</param>
    /// <param name="cacheDirectory">Where fetched files are kept.</param>
    /// <param name="allowedHosts">The only hosts fetched from (a server's <see cref="ServerOptions.AllowedImportHosts"/>); <see langword="null"/> for any host.</param>
    /// <param name="offline">Fetch nothing: only what the cache holds is imported.</param>
    /// <param name="time">The clock for time-outs and the fetch records; <see langword="null"/> for the system's.</param>
    /// <param name="logger">Where fetches are logged; <see langword="null"/> for nowhere.</param>
    public HttpImportFetcher(ImportOptions options, string cacheDirectory, IEnumerable<string>? allowedHosts, bool offline, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        _options = options;
        _cache = new ImportCache(cacheDirectory);
        _allowedHosts = allowedHosts?.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()).ToList();
        _offline = offline;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The directory of the import cache.</summary>
    public string CacheDirectory => _cache.Directory;

    /// <summary>The fetcher of a CLI command on this machine: any host, or none when <paramref name="offline"/>.</summary>
    /// <param name="options">The node's options (<see cref="OrchestraOptions.Imports"/>, and the store the cache sits beside).</param>
    /// <param name="offline">The command's <c>--offline</c>.</param>
    /// <param name="logger">Where fetches are logged.</param>
    /// <returns>The fetcher.</returns>
    public static HttpImportFetcher ForCommand(OrchestraOptions options, bool offline, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpImportFetcher(options.Imports, CacheDirectoryOf(options), allowedHosts: null, offline, logger: logger);
    }

    /// <summary>The fetcher of <c>orchestra serve</c>: only <see cref="ServerOptions.AllowedImportHosts"/>.</summary>
    /// <param name="options">The node's options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where fetches are logged.</param>
    /// <returns>The fetcher.</returns>
    public static HttpImportFetcher ForServer(OrchestraOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpImportFetcher(options.Imports, CacheDirectoryOf(options), options.Server.AllowedImportHosts, offline: false, time, logger);
    }

    private static string CacheDirectoryOf(OrchestraOptions options) =>
        string.IsNullOrWhiteSpace(options.Imports.CacheDirectory) ? options.Store.ImportCacheDirectory() : Path.GetFullPath(options.Imports.CacheDirectory);

    /// <inheritdoc/>
    public ImportFetchResult Fetch(Uri url, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (Refusal(url) is { } refusal)
        {
            return ImportFetchResult.Refused(refusal);
        }

        var (limit, limitName) = maxBytes < _options.MaxFileBytes
            ? (maxBytes, "Orchestra:Compiler:MaxFileBytes")
            : (_options.MaxFileBytes, "Orchestra:Imports:MaxFileBytes");
        var limitText = FormattableString.Invariant($"{limit} bytes ({limitName})");
        if (_cache.TryRead(url, out var damage) is { } entry)
        {
            return entry.Content.LongLength > limit ? ImportFetchResult.TooLarge(entry.Content.LongLength, limitText) : ImportFetchResult.Fetched(entry.Content, entry.ContentUrl);
        }

        if (damage is not null)
        {
            LogCacheEntryDamaged(_logger, url, damage);
        }

        if (_offline)
        {
            return ImportFetchResult.Refused($"it is not in the import cache ({_cache.Directory}) and this command fetches nothing (--offline); run it once without --offline to fetch it");
        }

        var result = Download(url, limit, limitText);
        if (result is { Status: ImportFetchStatus.Fetched, Content: { } content, Url: { } contentUrl })
        {
            try
            {
                _cache.Write(url, contentUrl, _time.GetUtcNow(), content);
                LogFetched(_logger, url, content.LongLength, _cache.Directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The compilation has what it needs; only the next one, offline, will miss it.
                LogCacheEntryDamaged(_logger, url, $"it cannot be written to {_cache.Directory}: {e.Message}");
            }
        }

        return result;
    }

    private ImportFetchResult Download(Uri url, long limit, string limitText)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        var current = url;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
                using var response = Client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (redirects >= _options.MaxRedirects)
                    {
                        return ImportFetchResult.Failed($"it redirects more than {_options.MaxRedirects} times (Orchestra:Imports:MaxRedirects)");
                    }

                    if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps
                        || (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp))
                    {
                        return ImportFetchResult.Failed($"{current} redirects to {next}, which is not followed (only to http or https, and never from https to http)");
                    }

                    if (Refusal(next) is { } refusal)
                    {
                        return ImportFetchResult.Refused($"{current} redirects to {next}: {refusal}");
                    }

                    current = next;
                    continue;
                }

                if (status is < 200 or >= 300)
                {
                    return ImportFetchResult.Failed(FormattableString.Invariant($"{current} answered HTTP {status} ({response.ReasonPhrase})"));
                }

                if (response.Content.Headers.ContentLength is { } announced && announced > limit)
                {
                    return ImportFetchResult.TooLarge(announced, limitText);
                }

                // A sync read does not watch the token: disposing the response on time-out ends it.
                using var stop = timeout.Token.Register(response.Dispose);
                var body = ReadAtMost(response.Content.ReadAsStream(timeout.Token), limit);
                timeout.Token.ThrowIfCancellationRequested();
                return body is null ? ImportFetchResult.TooLarge(null, limitText) : ImportFetchResult.Fetched(body, current);
            }
        }
        catch (Exception) when (timeout.IsCancellationRequested)
        {
            return ImportFetchResult.Failed($"it did not arrive within {_options.Timeout} (Orchestra:Imports:Timeout)");
        }
        catch (HttpRequestException e)
        {
            return ImportFetchResult.Failed(e.Message);
        }
        catch (IOException e)
        {
            return ImportFetchResult.Failed(e.Message);
        }
    }

    // Null when the body is longer than the limit; it is never read further than one byte past it.
    private static byte[]? ReadAtMost(Stream stream, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    private string? Refusal(Uri url)
    {
        if (_allowedHosts is null)
        {
            return null;
        }

        if (_allowedHosts.Count == 0)
        {
            return $"this server fetches no imports ({AllowedHostsSetting} is empty); add \"{url.Host}\" to it to allow this host, or import a file inside the allowed template directories";
        }

        var host = url.Host.Trim('[', ']');
        var withPort = FormattableString.Invariant($"{url.Host}:{url.Port}");
        return _allowedHosts.Any(h => string.Equals(h, url.Host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(h, host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(h, withPort, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"host '{withPort}' is not one this server fetches from ({AllowedHostsSetting}: {string.Join(", ", _allowedHosts)})";
    }

    [LoggerMessage(EventId = ApplicationEventIds.ImportFetched, Level = LogLevel.Information, Message = "Fetched import {Url} ({Bytes} bytes) into the import cache {Directory}")]
    private static partial void LogFetched(ILogger logger, Uri url, long bytes, string directory);

    [LoggerMessage(EventId = ApplicationEventIds.ImportCacheEntryDamaged, Level = LogLevel.Warning, Message = "The import cache entry of {Url} is not usable: {Damage}")]
    private static partial void LogCacheEntryDamaged(ILogger logger, Uri url, string damage);
}
