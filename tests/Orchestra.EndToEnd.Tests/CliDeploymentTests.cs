using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>deploy and the commands around it, on a local store, with the real executable.</summary>
[Trait("Category", "Integration")]
public sealed class CliDeploymentTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private string[] Runs() => File.Exists(Path.Combine(_dir.Path, "runs.log"))
        ? File.ReadAllLines(Path.Combine(_dir.Path, "runs.log"))
        : [];

    [Fact]
    public async Task Deploy_Succeeds_ThenListStatusHistoryOutputsReportIt()
    {
        var template = TestTemplates.Chain(_dir);

        var deploy = await Run("deploy", template);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("Succeeded", deploy.Stdout, StringComparison.Ordinal);
        Assert.Contains("hello from c", deploy.Stdout, StringComparison.Ordinal);
        Assert.Equal(["a Standard.create 1", "b Standard.create 1", "c Standard.create 1"], Runs());

        var list = await Run("list", "--json");
        using (var json = JsonDocument.Parse(list.Stdout))
        {
            var only = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("chain", only.GetProperty("deploymentId").GetString());
            Assert.Equal("Succeeded", only.GetProperty("status").GetString());
        }

        var status = await Run("status", "chain", "--json");
        Assert.Equal(0, status.ExitCode);
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal(3, json.RootElement.GetProperty("nodes").GetArrayLength());
        }

        var text = await Run("status", "chain");
        Assert.Contains("Deployed", text.Stdout, StringComparison.Ordinal);

        var history = await Run("history", "chain", "--json");
        using (var json = JsonDocument.Parse(history.Stdout))
        {
            var kinds = json.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToArray();
            Assert.Equal(3, kinds.Count(k => k == "task-succeeded"));
            Assert.Contains("deployment-succeeded", kinds);
        }

        var outputs = await Run("outputs", "chain");
        Assert.Equal("greeting=hello from c", outputs.Stdout.Trim());
        var outputsJson = await Run("outputs", "chain", "--json");
        using (var json = JsonDocument.Parse(outputsJson.Stdout))
        {
            Assert.Equal("hello from c", json.RootElement.GetProperty("greeting").GetString());
        }
    }

    [Fact]
    public async Task Deploy_Json_PrintsTheFinalView()
    {
        var template = TestTemplates.Chain(_dir);

        var deploy = await Run("deploy", template, "--name", "j1", "--json");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        using var json = JsonDocument.Parse(deploy.Stdout);
        Assert.Equal("j1", json.RootElement.GetProperty("deploymentId").GetString());
        Assert.Equal("Succeeded", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Deploy_SameNameAndTemplate_IsIdempotent_OtherTemplateIsRefused()
    {
        var chain = TestTemplates.Chain(_dir);
        var other = TestTemplates.FailsUntilFlag(_dir, Path.Combine(_dir.Path, "flag"));

        Assert.Equal(0, (await Run("deploy", chain, "--name", "same")).ExitCode);
        var again = await Run("deploy", chain, "--name", "same");
        var conflict = await Run("deploy", other, "--name", "same");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(3, Runs().Length);
        Assert.True(conflict.ExitCode == 1, conflict.ToString());
        Assert.Contains("same", conflict.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_Failing_ExitsOne_RetryAfterFixSucceeds_UndeployTearsDown()
    {
        var flag = Path.Combine(_dir.Path, "flag");
        var template = TestTemplates.FailsUntilFlag(_dir, flag);

        var deploy = await Run("deploy", template);
        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        Assert.Contains("Halted", deploy.Stdout, StringComparison.Ordinal);
        Assert.Contains("flag", deploy.Stdout + deploy.Stderr, StringComparison.Ordinal);

        File.WriteAllText(flag, "fixed");
        var retry = await Run("retry", "flaky");
        Assert.True(retry.ExitCode == 0, retry.ToString());

        var undeploy = await Run("undeploy", "flaky");
        Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        var status = await Run("status", "flaky", "--json");
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal("Undeployed", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Actions_OnUnknownDeployment_ExitOne()
    {
        foreach (var verb in new[] { "resume", "retry", "pause", "cancel", "undeploy", "history", "outputs", "status" })
        {
            var result = await Run(verb, "nope");
            Assert.True(result.ExitCode == 1, $"{verb}: {result}");
            Assert.Contains("nope", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Deploy_Detach_ThenResumeRunsItToTheEnd()
    {
        var template = TestTemplates.Chain(_dir, seconds: 0.2);

        var detach = await Run("deploy", template, "--detach");
        Assert.True(detach.ExitCode == 0, detach.ToString());
        Assert.Contains("orchestra resume chain", detach.Stdout, StringComparison.Ordinal);

        var resume = await Run("resume", "chain");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal(3, Runs().Select(l => l.Split(' ')[0]).Distinct().Count());
    }

    [Fact]
    public async Task Deploy_KilledWithSigkill_ResumeFinishesWithoutRerunningSucceededOperations()
    {
        var template = TestTemplates.Chain(_dir, seconds: 1.5);
        await using (var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", template, "--store", _dir.Store))
        {
            // Redirected output: one plain line per notification. Kill while b runs, after a succeeded.
            await deploy.WaitForOutputAsync(l => l.Contains(" b Standard.create", StringComparison.Ordinal) && l.Contains("started", StringComparison.Ordinal), Patience);
            deploy.KillHard();
            await deploy.WaitForExitAsync(Patience);
        }

        var status = await Run("status", "chain", "--json");
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal("Running", json.RootElement.GetProperty("status").GetString());
        }

        var resume = await Run("resume", "chain");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("gone; taking over", resume.Stderr, StringComparison.Ordinal);
        var runs = Runs();
        Assert.Single(runs, l => l.StartsWith("a ", StringComparison.Ordinal));
        Assert.Single(runs, l => l.StartsWith("c ", StringComparison.Ordinal));
        Assert.Contains(runs, l => l.StartsWith("b ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resume_WhileAnotherProcessDrivesIt_Refuses()
    {
        var template = TestTemplates.Chain(_dir, seconds: 3);
        await using var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", template, "--store", _dir.Store);
        await deploy.WaitForOutputAsync("started", Patience);

        var resume = await Run("resume", "chain");

        Assert.True(resume.ExitCode == 1, resume.ToString());
        Assert.Contains($"process {deploy.Id}", resume.Stderr, StringComparison.Ordinal);
        deploy.KillHard();
    }

    [Fact]
    public async Task CtrlC_PausesTheDeployment_AndJournalsIt()
    {
        // Ctrl-C is a pause now (cancel stays the explicit stop): CliCtrlCTests covers the details.
        var template = TestTemplates.Chain(_dir, seconds: 5);
        await using var deploy = Harness.Orchestra.Start(_dir.Path, null, "deploy", template, "--store", _dir.Store);
        await deploy.WaitForOutputAsync("started", Patience);

        deploy.Interrupt();
        var result = await deploy.WaitForExitAsync(Patience);

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("Deployment 'chain' Paused", result.Stdout, StringComparison.Ordinal);
        var status = await Run("status", "chain", "--json");
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal("Paused", json.RootElement.GetProperty("status").GetString());
    }
}
