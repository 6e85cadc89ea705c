using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Parsing;

/// <summary>
/// Imports by URL and from repositories as the compiler resolves them before anything is fetched: without a fetcher they are refused at
/// the import, and a repository that cannot give a URL is an error at the import's <c>repository</c>. Fetching itself is tested with the
/// real fetcher and a loopback server (<c>Orchestra.Application.Tests</c>, <c>HttpImportFetcherTests</c>).
/// </summary>
[Trait("Category", "Unit")]
public sealed class RemoteImportTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static Diagnostic SingleError(CompilationResult result, string code)
    {
        var errors = result.Errors.ToList();
        Assert.True(errors.Count == 1 && errors[0].Code == code, string.Join("\n", result.Diagnostics));
        return errors[0];
    }

    [Fact]
    public void UrlImport_WithoutAFetcher_IsRefusedAtTheImport()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports:
              - https://example.com/types.yaml
            """);

        var error = SingleError(result, ErrorCodes.ImportFetchRefused);
        Assert.Equal((3, 5), (error.Location.Line, error.Location.Column));
        Assert.Contains("import \"https://example.com/types.yaml\" was not fetched", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepositoryImport_WithoutAFetcher_IsRefusedAtTheImport_WithTheJoinedUrl()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            repositories:
              types: https://example.com/tosca/
            imports:
              - { file: app.yaml, repository: types }
            """);

        var error = SingleError(result, ErrorCodes.ImportFetchRefused);
        Assert.Contains("import \"https://example.com/tosca/app.yaml\" was not fetched", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportFromAnUndefinedRepository_IsTOS108_AtItsName_WithASuggestion()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            repositories:
              my_types: { url: "https://example.com/tosca" }
            imports:
              - file: app.yaml
                repository: my_typse
            """);

        var error = SingleError(result, ErrorCodes.InvalidImport);
        Assert.Equal((6, 17), (error.Location.Line, error.Location.Column));
        Assert.Contains("names repository 'my_typse', which no 'repositories' section of the importing files defines", error.Message, StringComparison.Ordinal);
        Assert.Equal("did you mean 'my_types'?", error.Suggestion);
    }

    [Fact]
    public void ImportFromARepositoryThatIsNotHttp_IsTOS108_NamingItsUrl()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            repositories:
              docker_hub: { url: "docker://registry.hub.docker.com" }
            imports:
              - { file: app.yaml, repository: docker_hub }
            """);

        var error = SingleError(result, ErrorCodes.InvalidImport);
        Assert.Contains("whose url \"docker://registry.hub.docker.com\" is not an http:// or https:// URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("(defined at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportByAUrlOfAnotherScheme_IsTOS108()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports: [ "ftp://example.com/types.yaml" ]
            """);

        Assert.Contains("is a URL that is not http:// or https://", SingleError(result, ErrorCodes.InvalidImport).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepositoryDefinedInAnImportedFile_ServesThatFilesImports()
    {
        _files.Write("lib/types.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            repositories:
              upstream: https://example.com/upstream
            imports:
              - { file: base.yaml, repository: upstream }
            """);

        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports: [ lib/types.yaml ]
            """);

        var error = SingleError(result, ErrorCodes.ImportFetchRefused);
        Assert.EndsWith("types.yaml", error.Location.File, StringComparison.Ordinal);
        Assert.Contains("https://example.com/upstream/base.yaml", error.Message, StringComparison.Ordinal);
    }
}
