namespace Orchestra.Tosca.Imports;

/// <summary>
/// Fetches the files a template imports by URL (<c>imports: [ https://host/types.yaml ]</c>) or from a repository
/// (<c>{ file: types.yaml, repository: r }</c>); set on <see cref="ToscaCompilerOptions.ImportFetcher"/>.
/// </summary>
/// <remarks>
/// <para>
/// The compiler asks for each distinct URL at most once per compilation and reports what comes back as a diagnostic located at the
/// import: a refusal as <c>TOS120</c>, a failure as <c>TOS121</c>, content over the limit as <c>TOS004</c>. Only <c>http</c> and
/// <c>https</c> URLs are asked for. The compiler is synchronous, so <see cref="Fetch"/> is too: an implementation bounds its own time.
/// </para>
/// <para>Implementations are called from any thread, by several compilations at once, and must be thread-safe.</para>
/// </remarks>
public interface IImportFetcher
{
    /// <summary>Gets the content of <paramref name="url"/>, or says why not.</summary>
    /// <param name="url">An absolute <c>http</c> or <c>https</c> URL.</param>
    /// <param name="maxBytes">The most bytes the compiler reads of one file (<see cref="ToscaCompilerOptions.MaxFileBytes"/>); more is <see cref="ImportFetchStatus.TooLarge"/>.</param>
    /// <returns>The outcome; never throws for a network, HTTP or policy failure.</returns>
    ImportFetchResult Fetch(Uri url, long maxBytes);
}
