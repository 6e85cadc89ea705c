using Orchestra.EndToEnd.Tests.Harness;
using Orchestra.Testing;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// Imports by URL through the real executable: <c>validate</c> fetches each URL once into the store's import cache; <c>validate</c>,
/// <c>plan</c> and <c>deploy</c> with <c>--offline</c> read it from there with no request, and refuse a URL it does not hold, located.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliRemoteImportTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LoopbackFileServer _files = null!;

    public async Task InitializeAsync()
    {
        _files = await LoopbackFileServer.StartAsync();
        _files.Serve("tosca/types.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              example.nodes.Step: { derived_from: tosca.nodes.Root }
            """);
    }

    public async Task DisposeAsync()
    {
        await _files.DisposeAsync();
        _dir.Dispose();
    }

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    // Line 3, column 5 is the import: the tests check where the refusal is located.
    private void WriteTemplate(string importPath) => _dir.Write("templates/remote.yaml", $$"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        imports:
          - "{{_files.Url(importPath)}}"
        topology_template:
          node_templates:
            step:
              type: example.nodes.Step
              interfaces:
                Standard:
                  create: orchestra:noop
        """);

    [Fact]
    public async Task Validate_FetchesOnce_ThenPlanAndDeployOffline_ReadTheCache_WithNoRequest()
    {
        WriteTemplate("tosca/types.yaml");

        var validate = await Run("validate", "templates/remote.yaml");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        _files.Remove("tosca/types.yaml");

        var plan = await Run("plan", "templates/remote.yaml", "--offline");
        var deploy = await Run("deploy", "templates/remote.yaml", "--offline");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("Succeeded", deploy.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, _files.TotalRequests);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir.Store, "imports"), "*.json"));
    }

    [Fact]
    public async Task Validate_Offline_UrlNotInTheCache_IsTOS120_AtTheImport_NamingTheUrl_ExitsTwo()
    {
        WriteTemplate("tosca/types.yaml");

        var result = await Run("validate", "templates/remote.yaml", "--offline");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"templates/remote.yaml:3:5: error TOS120: import \"{_files.Url("tosca/types.yaml")}\" was not fetched", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--offline", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _files.TotalRequests);
    }

    [Fact]
    public async Task Validate_OfflineWithServer_IsAUsageError()
    {
        WriteTemplate("tosca/types.yaml");

        var result = await Run("validate", "templates/remote.yaml", "--offline", "--server", "http://127.0.0.1:9");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--offline applies to compiling on this machine", result.Stderr, StringComparison.Ordinal);
    }
}
