using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Imports;

namespace Orchestra.Tosca.Parsing;

/// <summary>
/// The remote half of import resolution: imports by URL, from a <c>repositories</c> entry, and every import inside a fetched file
/// (resolved against that file's URL, so a fetched file never reaches a local one). Fetching goes through
/// <see cref="ToscaCompilerOptions.ImportFetcher"/>; each outcome that is not content is a diagnostic at the import.
/// </summary>
internal sealed class RemoteImports(ToscaCompilerOptions options, DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, Dictionary<string, Repository>> _repositories = new(StringComparer.Ordinal);

    // A fetched file's relative imports resolve against where its content came from, which a redirect may have changed.
    private readonly Dictionary<string, Uri> _contentUrls = new(StringComparer.Ordinal);

    private sealed record Repository(string Name, string? Url, SourceLocation Location);

    /// <summary>Whether a loaded file's key (a full path, or the URL of a fetched file) is a URL.</summary>
    public static bool IsUrl(string file) =>
        file.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || file.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether an import is resolved here rather than as a local path.</summary>
    public static bool IsRemote(string file, string? repository, string importingFile) =>
        repository is not null || file.Contains("://", StringComparison.Ordinal) || IsUrl(importingFile);

    /// <summary>Remembers the <c>repositories</c> a file defines, for its own imports and those of the files it imports.</summary>
    public void ReadRepositories(YMapping root, string file)
    {
        if (root["repositories"] is not YMapping section)
        {
            return;
        }

        var repositories = new Dictionary<string, Repository>(StringComparer.Ordinal);
        foreach (var (key, value) in section.Entries)
        {
            // Shapes are checked with the rest of the document's structure; here only what resolution needs.
            var url = value switch
            {
                YScalar { IsNull: false } s => s.Text,
                YMapping { } m when m["url"] is YScalar { IsNull: false } u => u.Text,
                _ => null,
            };
            repositories[key.Text] = new Repository(key.Text, url?.Trim(), key.Location);
        }

        _repositories[file] = repositories;
    }

    /// <summary>The absolute URL an import stands for, or null after reporting why there is none.</summary>
    /// <param name="file">The import's <c>file</c> as written.</param>
    /// <param name="repository">The import's <c>repository</c>, with its location, if it names one.</param>
    /// <param name="chain">The files being imported, outermost first; the last is the importing file.</param>
    /// <param name="location">The import.</param>
    public string? Resolve(string file, (string Name, SourceLocation Location)? repository, IReadOnlyList<string> chain, SourceLocation location)
    {
        var importingFile = chain[^1];
        Uri? url;
        if (repository is { } named)
        {
            if (Find(named.Name, chain) is not { } definition)
            {
                var known = chain.SelectMany(f => _repositories.GetValueOrDefault(f)?.Keys ?? Enumerable.Empty<string>()).Distinct().ToList();
                diagnostics.Error(ErrorCodes.InvalidImport, named.Location,
                    $"import \"{file}\" names repository '{named.Name}', which no 'repositories' section of the importing files defines"
                    + (known.Count == 0 ? string.Empty : $" (defined: {string.Join(", ", known)})"),
                    Suggestions.DidYouMean(named.Name, known));
                return null;
            }

            if (definition.Url is not { Length: > 0 } repositoryUrl)
            {
                diagnostics.Error(ErrorCodes.InvalidImport, named.Location,
                    $"import \"{file}\" names repository '{named.Name}', which has no 'url' (it is defined at {definition.Location})");
                return null;
            }

            // As tosca-parser joins them: the repository's URL, one '/', the file.
            var joined = repositoryUrl.TrimEnd('/') + "/" + file.TrimStart('/');
            if (!Uri.TryCreate(joined, UriKind.Absolute, out url) || !IsHttp(url))
            {
                diagnostics.Error(ErrorCodes.InvalidImport, named.Location,
                    $"import \"{file}\" names repository '{named.Name}', whose url \"{repositoryUrl}\" is not an http:// or https:// URL; Orchestra imports from repositories over HTTP only (defined at {definition.Location})");
                return null;
            }
        }
        else if (file.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(file, UriKind.Absolute, out url) || !IsHttp(url))
            {
                diagnostics.Error(ErrorCodes.InvalidImport, location,
                    $"import \"{file}\" is a URL that is not http:// or https://; Orchestra fetches imports over HTTP only, or reads a local file by its path");
                return null;
            }
        }
        else
        {
            var importingUrl = _contentUrls.GetValueOrDefault(importingFile) ?? new Uri(importingFile);
            if (!Uri.TryCreate(importingUrl, file.Replace('\\', '/'), out url))
            {
                diagnostics.Error(ErrorCodes.InvalidImport, location, $"import \"{file}\" of {importingFile} does not make a URL against it");
                return null;
            }
        }

        return url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
    }

    /// <summary>Fetches <paramref name="url"/> and reads it as YAML; null after reporting why not.</summary>
    public YNode? Load(string url, SourceLocation location, DiagnosticBag into)
    {
        if (options.ImportFetcher is not { } fetcher)
        {
            diagnostics.Error(ErrorCodes.ImportFetchRefused, location,
                $"import \"{url}\" was not fetched: this compilation fetches no imports (ToscaCompilerOptions.ImportFetcher is not set); download the file and import it by path");
            return null;
        }

        var result = fetcher.Fetch(new Uri(url), options.MaxFileBytes);
        switch (result.Status)
        {
            case ImportFetchStatus.Fetched when result.Content is { } content:
                _contentUrls[url] = result.Url ?? new Uri(url);
                return YamlLoader.LoadBytes(content, url, options, into);
            case ImportFetchStatus.Refused:
                diagnostics.Error(ErrorCodes.ImportFetchRefused, location, $"import \"{url}\" was not fetched: {result.Reason}");
                return null;
            case ImportFetchStatus.TooLarge:
                var size = result.Length is { } length ? $"is {length} bytes" : "holds";
                diagnostics.Error(ErrorCodes.FileTooLarge, location,
                    $"import \"{url}\" {size} more than the limit of {result.Reason ?? $"{options.MaxFileBytes} bytes (ToscaCompilerOptions.MaxFileBytes)"}; it was not read");
                return null;
            default:
                diagnostics.Error(ErrorCodes.ImportFetchFailed, location, $"import \"{url}\" could not be fetched: {result.Reason}");
                return null;
        }
    }

    private Repository? Find(string name, IReadOnlyList<string> chain)
    {
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (_repositories.GetValueOrDefault(chain[i])?.GetValueOrDefault(name) is { } repository)
            {
                return repository;
            }
        }

        return null;
    }

    private static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps;
}
