using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>A name used again: a new run after undeploy, earlier runs readable, delete, and refusals that name what works.</summary>
[Trait("Category", "Integration")]
public sealed class CliRunsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private async Task<ProcessResult> Ok(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 0, $"orchestra {string.Join(' ', args)}: {result}");
        return result;
    }

    private int RunsLogLines() => File.Exists(Path.Combine(_dir.Path, "runs.log")) ? File.ReadAllLines(Path.Combine(_dir.Path, "runs.log")).Length : 0;

    [Fact]
    public async Task Deploy_AfterUndeploy_StartsRun2_AndRun1StaysReadable()
    {
        var template = TestTemplates.Chain(_dir);
        await Ok("deploy", template);
        await Ok("undeploy", "chain");

        var again = await Ok("deploy", template);

        Assert.DoesNotContain("already submitted", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("Succeeded", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(6, RunsLogLines());
        using (var list = JsonDocument.Parse((await Ok("list", "--json")).Stdout))
        {
            var only = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal(("chain", 2, "Succeeded"), (only.GetProperty("deploymentId").GetString(), only.GetProperty("run").GetInt32(), only.GetProperty("status").GetString()));
        }

        Assert.Matches(@"(?m)^chain\s+2\s+Succeeded", (await Ok("list")).Stdout);
        using (var first = JsonDocument.Parse((await Ok("status", "chain", "--run", "1", "--json")).Stdout))
        {
            Assert.Equal(("Undeployed", 1), (first.RootElement.GetProperty("status").GetString(), first.RootElement.GetProperty("run").GetInt32()));
        }

        Assert.Contains("run 1", (await Ok("status", "chain", "--run", "1")).Stdout, StringComparison.Ordinal);
        Assert.Contains("deployment-undeployed", (await Ok("history", "chain", "--run", "1")).Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("deployment-undeployed", (await Ok("history", "chain")).Stdout, StringComparison.Ordinal);
        Assert.Equal("greeting=hello from c", (await Ok("outputs", "chain")).Stdout.Trim());
        var torndown = await Run("outputs", "chain", "--run", "1");
        Assert.Equal(1, torndown.ExitCode);
        Assert.Contains("is undeployed: it has no outputs any more", torndown.Stderr, StringComparison.Ordinal);
        var missing = await Run("status", "chain", "--run", "3");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'chain' has no run 3 (its latest is run 2)", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RefusesALiveDeploymentSayingWhy_ThenForgetsItOnceUndeployed()
    {
        var template = TestTemplates.Chain(_dir);
        await Ok("deploy", template);

        var refused = await Run("delete", "chain");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("cannot be deleted: it is Succeeded with 3 nodes deployed: undeploy it first", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("orchestra undeploy chain", refused.Stderr, StringComparison.Ordinal);
        await Ok("status", "chain");

        await Ok("undeploy", "chain");
        await Ok("deploy", template);
        await Ok("undeploy", "chain");
        var deleted = await Ok("delete", "chain");

        Assert.Contains("Deleted 'chain' (2 runs)", deleted.Stdout, StringComparison.Ordinal);
        Assert.Equal("[]", (await Ok("list", "--json")).Stdout.Trim());
        var gone = await Run("status", "chain");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("There is no deployment 'chain'", gone.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("delete", "chain")).ExitCode);
        await Ok("deploy", template);
        using var fresh = JsonDocument.Parse((await Ok("status", "chain", "--json")).Stdout);
        Assert.Equal(1, fresh.RootElement.GetProperty("run").GetInt32());
    }

    [Fact]
    public async Task Deploy_DifferentTemplateOntoALiveDeployment_IsRefusedNamingTheWayForward()
    {
        var chain = TestTemplates.Chain(_dir);
        var flag = _dir.Write("flag", "present");
        var other = TestTemplates.FailsUntilFlag(_dir, flag);
        await Ok("deploy", chain, "--name", "app");

        var refused = await Run("deploy", other, "--name", "app");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("runs a different template or other inputs, and it is Succeeded with 3 nodes deployed: undeploy it first", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("orchestra undeploy app", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("not supported yet", refused.Stderr, StringComparison.Ordinal);
        using (var still = JsonDocument.Parse((await Ok("status", "app", "--json")).Stdout))
        {
            Assert.Equal(("Succeeded", 1), (still.RootElement.GetProperty("status").GetString(), still.RootElement.GetProperty("run").GetInt32()));
        }

        await Ok("undeploy", "app");
        var replaced = await Ok("deploy", other, "--name", "app");
        Assert.Contains("Succeeded", replaced.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_DifferentTemplateOntoADetachedDeployment_SuggestsCancel_AndACancelledRunWithNothingDeployedEnds()
    {
        var blocking = TestTemplates.Blocking(_dir);
        var chain = TestTemplates.Chain(_dir);
        await Ok("deploy", blocking, "--name", "held", "--detach");

        var refused = await Run("deploy", chain, "--name", "held");

        Assert.Equal(1, refused.ExitCode);
        // Detached locally, only its submission is journaled and nothing drives it: waiting would not help, cancel does.
        Assert.Contains("it is Pending (submitted, nothing has run yet): cancel it, then deploy again", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("orchestra cancel held", refused.Stderr, StringComparison.Ordinal);

        // Its first operation never succeeded: cancelled with nothing deployed, the run has ended and the name takes another template.
        await Ok("cancel", "held");
        var replaced = await Run("deploy", chain, "--name", "held");
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        using var second = JsonDocument.Parse((await Ok("status", "held", "--json")).Stdout);
        Assert.Equal(2, second.RootElement.GetProperty("run").GetInt32());
        using var first = JsonDocument.Parse((await Ok("status", "held", "--run", "1", "--json")).Stdout);
        Assert.Equal("Cancelled", first.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Deploy_SameTemplateOntoAHaltedRun_SuggestsRetry_WhichWorks()
    {
        var flag = Path.Combine(_dir.Path, "flag");
        var flaky = TestTemplates.FailsUntilFlag(_dir, flag);
        Assert.Equal(1, (await Run("deploy", flaky)).ExitCode);

        var again = await Run("deploy", flaky);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("'flaky' is halted; to run its failed operations again: orchestra retry flaky", again.Stderr, StringComparison.Ordinal);
        File.WriteAllText(flag, "now");
        Assert.Contains("Succeeded", (await Ok("retry", "flaky")).Stdout, StringComparison.Ordinal);
    }
}
