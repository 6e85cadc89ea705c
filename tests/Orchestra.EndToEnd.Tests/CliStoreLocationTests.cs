using System.Net;
using System.Net.Http.Json;
using Orchestra.EndToEnd.Tests.Harness;
using Orchestra.Testing;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// Where things are: every "not found" of the real <c>orchestra</c> names the store it looked in, a command that only reads creates no
/// store, and <c>serve</c> resolves its template directories the way a user wrote them, warning about those that do not exist.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CliStoreLocationTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    public async ValueTask DisposeAsync()
    {
        await Task.CompletedTask;
        _dir.Dispose();
    }

    private string[] Entries() => [.. Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(_dir.Path, e))];

    [Fact]
    public async Task List_InADirectoryWithoutAStore_SaysSoAndCreatesNothing()
    {
        var list = await Harness.Orchestra.RunAsync(_dir.Path, "list");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains($"There is no store at {Path.Combine(_dir.Path, ".orchestra", "orchestra.db")}", list.Stdout, StringComparison.Ordinal);
        Assert.Empty(Entries());
    }

    [Theory]
    [InlineData("status", "web")]
    [InlineData("history", "web")]
    [InlineData("outputs", "web")]
    [InlineData("resume", "web")]
    [InlineData("retry", "web")]
    [InlineData("cancel", "web")]
    [InlineData("undeploy", "web")]
    public async Task Command_WithoutAStore_NamesTheMissingStoreAndCreatesNothing(string command, string name)
    {
        var store = Path.Combine(_dir.Path, "nowhere");

        var result = await Harness.Orchestra.RunAsync(_dir.Path, command, name, "--store", store);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"There is no deployment 'web': there is no store at {Path.Combine(store, "orchestra.db")}", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Entries());
    }

    [Theory]
    [InlineData("status")]
    [InlineData("history")]
    [InlineData("outputs")]
    [InlineData("resume")]
    [InlineData("pause")]
    public async Task Command_OnAnUnknownName_NamesTheStoreItLookedIn(string command)
    {
        TestTemplates.Chain(_dir);
        Assert.Equal(0, (await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/chain.yaml", "--store", _dir.Store)).ExitCode);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, command, "nope", "--store", _dir.Store);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"There is no deployment 'nope' in the store {Path.Combine(_dir.Store, "orchestra.db")}", result.Stderr, StringComparison.Ordinal);
    }

    [ConditionalFact, RequiresPostgres]
    public async Task Status_OnAnUnknownNameInPostgres_NamesHostDatabaseAndSchema_NeverThePassword()
    {
        await using var postgres = new PostgresStore();
        var environment = new Dictionary<string, string>(postgres.Environment)
        {
            ["ORCHESTRA__STORE__CONNECTIONSTRING"] = PostgresStore.ConnectionString + ";Password=hunter2-secret",
        };

        var result = await Harness.Orchestra.RunAsync(_dir.Path, environment, TimeSpan.FromSeconds(60), "status", "nope");

        Assert.True(result.ExitCode == 1, result.ToString());
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresStore.ConnectionString);
        Assert.Contains($"There is no deployment 'nope' in the PostgreSQL store {builder.Host}:{builder.Port}/{builder.Database} (schema {postgres.Schema})", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWithServer_OnAnUnknownName_NamesTheServer()
    {
        var templates = Path.Combine(_dir.Path, "templates");
        Directory.CreateDirectory(templates);
        await using var server = await ServerProcess.StartAsync(_dir, templates);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "status", "nope", "--server", server.BaseAddress.ToString());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"There is no deployment 'nope' on the server {server.BaseAddress}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ResolvesTemplateDirectoriesAgainstItsConfigurationFile_AndWarnsAboutMissingOnes()
    {
        // conf/orchestra.json names ../templates (beside conf, where the template is) and a directory that does not exist; the server
        // runs in the test's directory, so ../templates read against the working directory would be outside it.
        var template = TestTemplates.Chain(_dir);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "cli-templates"));
        var config = _dir.Write("conf/orchestra.json", """
            { "Orchestra": { "Server": { "AllowedTemplateDirectories": [ "placeholder", "../templates", "missing" ] } } }
            """);

        // Index 0 comes from the command line: relative to the working directory.
        await using var server = await ServerProcess.StartAsync(_dir, "cli-templates", extraArgs: ["--config", config]);

        using var plan = await server.Http.PostAsJsonAsync("api/templates/plan", new { templatePath = template });
        Assert.True(plan.StatusCode == HttpStatusCode.OK, await plan.Content.ReadAsStringAsync());
        var missing = Path.Combine(_dir.Path, "conf", "missing");
        var output = server.Process.Stdout + server.Process.Stderr;
        Assert.Contains($"'{missing}'", output, StringComparison.Ordinal);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{Path.Combine(_dir.Path, "cli-templates")}' does not exist", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{Path.Combine(_dir.Path, "templates")}' does not exist", output, StringComparison.Ordinal);
    }
}
