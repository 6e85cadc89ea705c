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
        var history = await Run("history", "rollback", "--json");
        using var json = JsonDocument.Parse(history.Stdout);
        Assert.Contains(json.RootElement.EnumerateArray(), e => e.TryGetProperty("phase", out var p) && p.GetString() == "Revert");
    }
}
