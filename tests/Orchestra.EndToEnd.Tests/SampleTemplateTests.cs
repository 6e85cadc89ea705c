using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>The samples in config/templates run as the README says.</summary>
[Trait("Category", "Integration")]
public sealed class SampleTemplateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Run(params string[] args) => Harness.Orchestra.RunAsync(_dir.Path, [.. args, "--store", _dir.Store]);

    private static string Sample(string name) => Path.Combine(Harness.Orchestra.Samples, name, name + ".yaml");

    [Fact]
    public async Task Webapp_Deploys_ServesItsPage_AndUndeployStopsAndCleansUp()
    {
        var state = Path.Combine(_dir.Path, "webapp-state");

        var deploy = await Run("deploy", Sample("webapp"), "--input", $"state_dir={state}", "--json");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        using var view = JsonDocument.Parse(deploy.Stdout);
        var outputs = view.RootElement.GetProperty("outputs");
        var url = outputs.GetProperty("url").GetString()!;
        var pid = int.Parse(outputs.GetProperty("pid").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);

        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var page = await http.GetStringAsync(url);
            Assert.Contains("Hello from Orchestra", page, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(state, "appdb.sqlite3")));

        var undeploy = await Run("undeploy", "webapp");
        Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(" Z ", StringComparison.Ordinal), "the web server still runs");
        Assert.False(Directory.Exists(state), "the state directory is still there");
    }

    [Fact]
    public async Task Diamond_RetriesTheFlakyStepByPolicy_AndSucceeds()
    {
        var state = Path.Combine(_dir.Path, "diamond-state");

        var deploy = await Run("deploy", Sample("diamond"), "--input", $"state_dir={state}", "--input", "step_seconds=0.1", "--json");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        using var view = JsonDocument.Parse(deploy.Stdout);
        Assert.Equal("3", view.RootElement.GetProperty("outputs").GetProperty("c_attempts").GetString());
        var order = view.RootElement.GetProperty("outputs").GetProperty("order").GetString()!.Split(',');
        Assert.Equal("a", order[0]);
        Assert.Equal("d", order[^1]);
    }

    [Fact]
    public async Task Rollback_FailsAndRevertsWhatWasDone()
    {
        var state = Path.Combine(_dir.Path, "rollback-state");

        var deploy = await Run("deploy", Sample("rollback"), "--input", $"state_dir={state}");

        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        Assert.Contains("RolledBack", deploy.Stdout, StringComparison.Ordinal);
        var actions = File.ReadAllLines(Path.Combine(state, "actions.log"));
        Assert.Equal(["create network", "create volume", "create app", "delete app", "delete volume", "delete network"], actions);
        var logs = await Run("logs", "rollback", "volume");
        Assert.Contains("==> volume Standard.delete (reverting Standard.create) #1 (succeeded) stdout <==", logs.Stdout, StringComparison.Ordinal);
        var history = await Run("history", "rollback", "--json");
        using var json = JsonDocument.Parse(history.Stdout);
        Assert.Contains(json.RootElement.EnumerateArray(), e => e.TryGetProperty("phase", out var p) && p.GetString() == "Revert");
    }

    [Fact]
    public async Task Pipeline_KilledMidStage_ResumeRunsOnlyWhatHadNotFinished()
    {
        var state = Path.Combine(_dir.Path, "pipeline-state");
        await using (var deploy = Harness.Orchestra.Start(
            _dir.Path, null, "deploy", Sample("pipeline"), "--input", $"state_dir={state}", "--input", "stage_seconds=1", "--store", _dir.Store))
        {
            await deploy.WaitForOutputAsync(l => l.Contains(" test Standard.create", StringComparison.Ordinal) && l.Contains("started", StringComparison.Ordinal), Patience);
            deploy.KillHard();
            await deploy.WaitForExitAsync(Patience);
        }

        var resume = await Run("resume", "pipeline");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        var log = File.ReadAllLines(Path.Combine(state, "stages.log"));
        Assert.Equal("build", log[0]);
        Assert.Equal(["build", "test", "package", "staging", "production"], log.Select(l => l.Replace(" (re-run)", string.Empty, StringComparison.Ordinal)));
        Assert.DoesNotContain(log, l => l.StartsWith("package", StringComparison.Ordinal) && l.EndsWith("(re-run)", StringComparison.Ordinal));
    }

    /// <summary>
    /// The samples' default state directory is per deployment name: two deployments of one sample run side by side, and
    /// undeploying one leaves the other's files and processes alone.
    /// </summary>
    [Fact]
    public async Task Samples_DeployedUnderTwoNames_KeepTheirOwnState_AndUndeployTouchesOnlyItsOwn()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] names = [$"web-{suffix}-a", $"web-{suffix}-b"];
        string[] pipelines = [$"pipe-{suffix}-a", $"pipe-{suffix}-b"];
        var urls = new List<string>();
        var dirs = new List<string>();
        try
        {
            foreach (var name in names)
            {
                var deploy = await Run("deploy", Sample("webapp"), "--name", name, "--json");
                Assert.True(deploy.ExitCode == 0, deploy.ToString());
                using var view = JsonDocument.Parse(deploy.Stdout);
                urls.Add(view.RootElement.GetProperty("outputs").GetProperty("url").GetString()!);
            }

            foreach (var name in pipelines)
            {
                var deploy = await Run("deploy", Sample("pipeline"), "--name", name, "--input", "stage_seconds=0.05", "--json");
                Assert.True(deploy.ExitCode == 0, deploy.ToString());
                using var view = JsonDocument.Parse(deploy.Stdout);
                dirs.Add(view.RootElement.GetProperty("outputs").GetProperty("state_dir").GetString()!);
            }

            Assert.NotEqual(urls[0], urls[1]);
            Assert.NotEqual(dirs[0], dirs[1]);
            Assert.EndsWith(pipelines[0], dirs[0], StringComparison.Ordinal);

            Assert.True((await Run("undeploy", names[0])).ExitCode == 0);
            Assert.True((await Run("undeploy", pipelines[0])).ExitCode == 0);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Contains("Hello from Orchestra", await http.GetStringAsync(urls[1]), StringComparison.Ordinal);
            Assert.False(Directory.Exists(dirs[0]), "the undeployed pipeline's directory is still there");
            Assert.Equal(5, File.ReadAllLines(Path.Combine(dirs[1], "stages.log")).Length);
        }
        finally
        {
            foreach (var name in names.Concat(pipelines))
            {
                await Run("undeploy", name);
            }
        }
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
}
