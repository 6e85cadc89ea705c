using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestra.EndToEnd.Tests.Harness;
using Orchestra.Testing;

namespace Orchestra.EndToEnd.Tests;

/// <summary>
/// A storage fault never passes silently: the real <c>orchestra</c> on a store whose -wal is deleted mid-run, whose
/// journal has a changed byte, that sits on a read-only medium. The answer is <c>orchestra: REASON</c> and exit 1.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StoreFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(string store, params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", store]);

    [Fact]
    public async Task Deploy_WhenTheWalIsDeletedDuringTheRun_FailsLoudly_NotSucceeded()
    {
        // The second node's script deletes the store's -wal, as an operator's stray rm or a cleaner would.
        _dir.Write("templates/scripts/rm_wal.sh", """
            #!/usr/bin/env bash
            if [ "$ORCHESTRA_NODE" = "b" ]; then rm -f "$STORE/orchestra.db-wal"; fi
            echo ok
            """);
        var node = (string name, string? after) => $$"""
                {{name}}:
                  type: tosca.nodes.Root
            {{(after is null ? "" : $"      requirements: [ {{ dependency: {after} }} ]\n")}}      interfaces: { Standard: { operations: { create: { implementation: scripts/rm_wal.sh, inputs: { STORE: "{{_dir.Store}}" } } } } }
            """;
        var template = _dir.Write("templates/walgone.yaml",
            "tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n" + node("a", null) + "\n" + node("b", "a") + "\n" + node("c", "b") + "\n");

        var deploy = await Run(_dir.Store, "deploy", template);

        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        Assert.Contains($"orchestra: the store '{Path.Combine(_dir.Store, "orchestra.db")}' lost 'orchestra.db-wal'", deploy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Succeeded", deploy.Stdout, StringComparison.Ordinal);
        AssertNoStackTrace(deploy);

        // What was acknowledged before the loss was put back into the database file: the deployment is there, not "no deployment".
        var status = await Run(_dir.Store, "status", "walgone", "--json");
        Assert.True(status.ExitCode is 0 or 1, status.ToString());
        Assert.DoesNotContain("There is no deployment", status.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedByteInsideAJournaledValue_IsReportedByStatusHistoryAndResume()
    {
        var template = TestTemplates.Chain(_dir);
        var deploy = await Run(_dir.Store, "deploy", template);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        var sequenceNr = ChangeOneByte("hello from b", "hello from B");

        foreach (var command in new[] { "status", "history", "resume" })
        {
            var result = await Run(_dir.Store, command, "chain");
            Assert.True(result.ExitCode == 1, $"{command}: {result}");
            Assert.Contains($"event {sequenceNr} of 'deployment-chain'", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("is corrupt: its checksum does not match its content", result.Stderr, StringComparison.Ordinal);
            Assert.StartsWith("orchestra: ", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("hello from B", result.Stdout, StringComparison.Ordinal);
            AssertNoStackTrace(result);
        }
    }

    [Fact]
    public async Task List_WithAnUnreadableDeployment_NamesIt_AndStillListsTheOthers()
    {
        Assert.Equal(0, (await Run(_dir.Store, "deploy", TestTemplates.Chain(_dir), "--name", "good")).ExitCode);
        Assert.Equal(0, (await Run(_dir.Store, "deploy", TestTemplates.Chain(_dir), "--name", "bad")).ExitCode);
        ChangeOneByte("hello from b", "hello from B", "deployment-bad");

        var list = await Run(_dir.Store, "list");

        Assert.True(list.ExitCode == 1, list.ToString());
        Assert.Contains("good", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("No deployments.", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("orchestra: deployment 'bad' cannot be read", list.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(list);
    }

    [Fact]
    public async Task List_WhenTheOnlyDeploymentIsUnreadable_DoesNotSayNoDeployments()
    {
        Assert.Equal(0, (await Run(_dir.Store, "deploy", TestTemplates.Chain(_dir))).ExitCode);
        ChangeOneByte("hello from b", "hello from B");

        var list = await Run(_dir.Store, "list");

        Assert.True(list.ExitCode == 1, list.ToString());
        Assert.DoesNotContain("No deployments.", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("orchestra: deployment 'chain' cannot be read", list.Stderr, StringComparison.Ordinal);
    }

    [ConditionalFact, RequiresRootOnLinux("mounting a tmpfs")]
    public async Task ReadOnlyStore_CanBeListedAndRead_ButDeploySaysReadOnly()
    {
        using var medium = TmpfsMount.Create("64m");
        var store = Path.Combine(medium.Path, "store");
        var template = TestTemplates.Chain(_dir);
        Assert.Equal(0, (await Run(store, "deploy", template)).ExitCode);
        medium.RemountReadOnly();

        var list = await Run(store, "list");
        var status = await Run(store, "status", "chain");
        var history = await Run(store, "history", "chain");
        var deploy = await Run(store, "deploy", template, "--name", "another");

        Assert.True(list.ExitCode == 0 && list.Stdout.Contains("chain", StringComparison.Ordinal), list.ToString());
        Assert.True(status.ExitCode == 0 && status.Stdout.Contains("Succeeded", StringComparison.Ordinal), status.ToString());
        Assert.True(history.ExitCode == 0 && history.Stdout.Contains("task-succeeded", StringComparison.Ordinal), history.ToString());
        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        Assert.Contains($"orchestra: the store '{Path.Combine(store, "orchestra.db")}' is read-only", deploy.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(deploy);
    }

    [ConditionalFact, RequiresRootOnLinux("mounting a tmpfs")]
    public async Task Server_OnAReadOnlyStore_ServesReads_AndAnswersWritesWith503StoreUnavailable()
    {
        Directory.CreateDirectory(_dir.Store);
        using var medium = TmpfsMount.Create("64m", _dir.Store);
        var template = TestTemplates.Chain(_dir);
        Assert.Equal(0, (await Run(_dir.Store, "deploy", template)).ExitCode);
        medium.RemountReadOnly();
        await using var server = await ServerProcess.StartAsync(_dir, Path.Combine(_dir.Path, "templates"));

        var list = await server.Http.GetFromJsonAsync<JsonElement>("api/deployments");
        var submit = await server.Http.PostAsJsonAsync("api/deployments", new { id = "another", templatePath = template });

        Assert.Equal("chain", Assert.Single(list.EnumerateArray()).GetProperty("deploymentId").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, submit.StatusCode);
        var problem = await submit.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:orchestra:problem:store-unavailable", problem.GetProperty("type").GetString());
        Assert.Equal("ReadOnly", problem.GetProperty("fault").GetString());
        Assert.Contains("is read-only", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Replaces text inside one journaled payload of <paramref name="persistenceId"/>, as a bad disk would; returns its sequence number.</summary>
    private long ChangeOneByte(string from, string to, string persistenceId = "deployment-chain")
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Store, "orchestra.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE journal SET payload = CAST(replace(CAST(payload AS TEXT), $from, $to) AS BLOB)
            WHERE ordering = (SELECT min(ordering) FROM journal WHERE persistence_id = $pid AND instr(CAST(payload AS TEXT), $from) > 0)
            RETURNING sequence_nr
            """;
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        command.Parameters.AddWithValue("$pid", persistenceId);
        return (long)(command.ExecuteScalar() ?? throw new InvalidOperationException($"no event of {persistenceId} contains '{from}'"));
    }

    private static void AssertNoStackTrace(ProcessResult result)
    {
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
    }
}
