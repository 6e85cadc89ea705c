using Orchestra.Application.Configuration;
using Orchestra.Application.Templates;
using Orchestra.Application.Templates.Imports;
using Orchestra.Testing;
using Orchestra.Tosca;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Application.Tests.Templates.Imports;

/// <summary>
/// Imports by URL and from repositories, compiled through the real fetcher against a real HTTP server on loopback: fetched once into the
/// cache beside the store, reused offline, refused where policy says so, every refusal located at the import.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HttpImportFetcherTests : IAsyncLifetime
{
    private const string Types = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        node_types:
          example.nodes.App:
            derived_from: tosca.nodes.Root
            properties:
              port: { type: integer, default: 8080 }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-imports-").FullName;
    private LoopbackFileServer _server = null!;

    private string Cache => Path.Combine(_dir, "store", "imports");

    public async Task InitializeAsync() => _server = await LoopbackFileServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Template(string imports) => $$"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        {{imports}}
        topology_template:
          node_templates:
            app:
              type: example.nodes.App
        """;

    // For imports that fail: no node template needs what they would define, so the import's error is the only one.
    private static string Imports(string imports) => $"tosca_definitions_version: tosca_simple_yaml_1_3\n{imports}\n";

    private HttpImportFetcher Fetcher(bool offline = false, IEnumerable<string>? allowedHosts = null, ImportOptions? options = null) =>
        new(options ?? new ImportOptions(), Cache, allowedHosts, offline);

    private TemplateCompilation Compile(string template, HttpImportFetcher fetcher)
    {
        var path = Path.Combine(_dir, "templates", "main.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, template.ReplaceLineEndings("\n"));
        return new TemplateCompiler(ToscaCompilerOptions.Default.WithImportFetcher(fetcher)).Compile(TemplateSource.FromFile(path), new Dictionary<string, string>());
    }

    private static Diagnostic SingleError(TemplateCompilation compilation, string code)
    {
        var errors = compilation.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1 && errors[0].Code == code, string.Join("\n", compilation.Diagnostics));
        return errors[0];
    }

    private static void AssertCompiles(TemplateCompilation compilation) =>
        Assert.True(compilation.Plan is not null, string.Join("\n", compilation.Diagnostics));

    [Fact]
    public void UrlImport_IsFetchedOnce_AndReusedByTheNextCompilation()
    {
        _server.Serve("types/app.yaml", Types);
        var template = Template($"imports: [ \"{_server.Url("types/app.yaml")}\" ]");

        AssertCompiles(Compile(template, Fetcher()));
        AssertCompiles(Compile(template, Fetcher()));

        Assert.Equal(1, _server.Requests("types/app.yaml"));
        Assert.Single(Directory.GetFiles(Cache, "*.yaml"));
        var record = File.ReadAllText(Assert.Single(Directory.GetFiles(Cache, "*.json")));
        Assert.Contains(_server.Url("types/app.yaml"), record, StringComparison.Ordinal);
    }

    [Fact]
    public void UrlImport_Offline_ComesFromTheCache_WithoutARequest()
    {
        _server.Serve("types/app.yaml", Types);
        var template = Template($"imports: [ \"{_server.Url("types/app.yaml")}\" ]");
        AssertCompiles(Compile(template, Fetcher()));
        _server.Remove("types/app.yaml");

        AssertCompiles(Compile(template, Fetcher(offline: true)));

        Assert.Equal(1, _server.TotalRequests);
    }

    [Fact]
    public void UrlImport_OfflineAndNotCached_IsRefusedAtTheImport_NamingTheUrl_AndSendsNothing()
    {
        _server.Serve("types/app.yaml", Types);
        var url = _server.Url("types/app.yaml");

        var error = SingleError(Compile(Imports($"imports:\n  - \"{url}\""), Fetcher(offline: true)), ErrorCodes.ImportFetchRefused);

        Assert.Equal((3, 5), (error.Location.Line, error.Location.Column));
        Assert.EndsWith("main.yaml", error.Location.File, StringComparison.Ordinal);
        Assert.Contains($"import \"{url}\" was not fetched", error.Message, StringComparison.Ordinal);
        Assert.Contains("--offline", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.TotalRequests);
    }

    [Fact]
    public void RepositoryImport_FetchesTheFileUnderTheRepositoryUrl()
    {
        _server.Serve("base/app.yaml", Types);
        var template = Template($"""
            repositories:
              types: {"{"} url: "{_server.Url("base")}" {"}"}
              short: "{_server.Url("base/")}"
            imports:
              - file: app.yaml
                repository: types
              - {"{"} file: /app.yaml, repository: short {"}"}
            """);

        AssertCompiles(Compile(template, Fetcher()));

        Assert.Equal(1, _server.Requests("base/app.yaml"));
    }

    [Fact]
    public void ImportsInsideAFetchedFile_ResolveAgainstItsUrl_NeverAgainstLocalFiles()
    {
        // The same names exist on disk beside the template: resolving a fetched file's imports locally would find them.
        File.WriteAllText(Path.Combine(_dir, "secret.yaml"), "tosca_definitions_version: tosca_simple_yaml_1_3\n");
        Directory.CreateDirectory(Path.Combine(_dir, "templates", "common"));
        File.WriteAllText(Path.Combine(_dir, "templates", "common", "base.yaml"), "tosca_definitions_version: tosca_simple_yaml_1_3\n");
        _server.Serve("a/b/app.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports: [ ../../common/base.yaml, /secret.yaml ]
            node_types:
              example.nodes.App: { derived_from: example.nodes.Base }
            """);
        _server.Serve("common/base.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\nnode_types: { example.nodes.Base: { derived_from: tosca.nodes.Root } }\n");
        _server.Serve("secret.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\n");

        AssertCompiles(Compile(Template($"imports: [ \"{_server.Url("a/b/app.yaml")}\" ]"), Fetcher()));

        Assert.Equal(1, _server.Requests("common/base.yaml"));
        Assert.Equal(1, _server.Requests("secret.yaml"));
    }

    [Fact]
    public void ErrorInAFetchedFile_IsLocatedAtItsUrl()
    {
        _server.Serve("types/app.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              example.nodes.App:
                derived_from: example.nodes.NotThere
            """);
        var url = _server.Url("types/app.yaml");

        var error = SingleError(Compile(Template($"imports: [ \"{url}\" ]"), Fetcher()), ErrorCodes.UnknownType);

        Assert.Equal((url, 4, 19), (error.Location.File, error.Location.Line, error.Location.Column));
        Assert.StartsWith($"{url}:4:19: error TOS201", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptOfATypeFromAFetchedFile_IsItsUrl_WhichNoExecutorRuns()
    {
        _server.Serve("types/app.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              example.nodes.App:
                derived_from: tosca.nodes.Root
                interfaces:
                  Standard:
                    create: scripts/create.sh
            """);

        var error = SingleError(Compile(Template($"imports: [ \"{_server.Url("types/app.yaml")}\" ]"), Fetcher()), ErrorCodes.NoExecutor);

        Assert.Equal((_server.Url("types/app.yaml"), 7, 17), (error.Location.File, error.Location.Line, error.Location.Column));
        Assert.Contains("implementation 'scripts/create.sh' of operation 'Standard.create' is a URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerFetcher_WithNoAllowedHosts_RefusesAtTheImport_AndSendsNothing()
    {
        _server.Serve("types/app.yaml", Types);

        var error = SingleError(Compile(Imports($"imports: [ \"{_server.Url("types/app.yaml")}\" ]"), Fetcher(allowedHosts: [])), ErrorCodes.ImportFetchRefused);

        Assert.Contains("Orchestra:Server:AllowedImportHosts is empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.TotalRequests);
    }

    [Fact]
    public void ServerFetcher_FetchesFromAnAllowedHost_ButFollowsNoRedirectToAnother()
    {
        _server.Serve("types/app.yaml", Types);
        _server.Redirect("moved.yaml", $"http://localhost:{_server.BaseUrl.Port}/types/app.yaml");
        var allowed = Fetcher(allowedHosts: [_server.Authority]);

        AssertCompiles(Compile(Template($"imports: [ \"{_server.Url("types/app.yaml")}\" ]"), allowed));
        var error = SingleError(Compile(Imports($"imports: [ \"{_server.Url("moved.yaml")}\" ]"), allowed), ErrorCodes.ImportFetchRefused);

        Assert.Contains($"redirects to http://localhost:{_server.BaseUrl.Port}/types/app.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains($"host 'localhost:{_server.BaseUrl.Port}' is not one this server fetches from", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests("types/app.yaml"));
    }

    [Fact]
    public void Redirect_WithinAllowedHosts_IsFollowed_AndRelativeImportsResolveAgainstWhereItLed()
    {
        _server.Serve("v2/app.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\nimports: [ base.yaml ]\nnode_types: { example.nodes.App: { derived_from: example.nodes.Base } }\n");
        _server.Serve("v2/base.yaml", "node_types: { example.nodes.Base: { derived_from: tosca.nodes.Root } }\n");
        _server.Redirect("latest/app.yaml", "/v2/app.yaml");

        AssertCompiles(Compile(Template($"imports: [ \"{_server.Url("latest/app.yaml")}\" ]"), Fetcher(allowedHosts: ["127.0.0.1"])));

        Assert.Equal(1, _server.Requests("v2/base.yaml"));
    }

    [Fact]
    public void FetchedFile_OverTheSizeLimit_IsTOS004_AndNotCached()
    {
        _server.Serve("types/app.yaml", Types);

        var error = SingleError(Compile(Imports($"imports: [ \"{_server.Url("types/app.yaml")}\" ]"), Fetcher(options: new ImportOptions { MaxFileBytes = 64 })), ErrorCodes.FileTooLarge);

        Assert.Contains("more than the limit of 64 bytes (Orchestra:Imports:MaxFileBytes)", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Cache) && Directory.GetFiles(Cache).Length > 0);
    }

    [Fact]
    public void StalledServer_IsTimedOut_AsTOS121()
    {
        _server.Stall("slow.yaml");

        var error = SingleError(
            Compile(Imports($"imports: [ \"{_server.Url("slow.yaml")}\" ]"), Fetcher(options: new ImportOptions { Timeout = TimeSpan.FromMilliseconds(300) })),
            ErrorCodes.ImportFetchFailed);

        Assert.Contains("did not arrive within 00:00:00.3000000 (Orchestra:Imports:Timeout)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsTOS121_NamingTheHttpStatus()
    {
        var error = SingleError(Compile(Imports($"imports: [ \"{_server.Url("nope.yaml")}\" ]"), Fetcher()), ErrorCodes.ImportFetchFailed);

        Assert.Contains("answered HTTP 404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedCacheEntry_IsFetchedAgain()
    {
        _server.Serve("types/app.yaml", Types);
        var template = Template($"imports: [ \"{_server.Url("types/app.yaml")}\" ]");
        AssertCompiles(Compile(template, Fetcher()));
        File.WriteAllText(Assert.Single(Directory.GetFiles(Cache, "*.yaml")), "node_types: { example.nodes.Other: {} }\n");

        AssertCompiles(Compile(template, Fetcher()));

        Assert.Equal(2, _server.Requests("types/app.yaml"));
    }
}
