using System.Text.Json;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>What the built <c>orchestra</c> says when it is used wrongly, and <c>--json</c> on every command that prints data.</summary>
[Trait("Category", "Integration")]
public sealed class CliUsageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UnknownCommand_PrintsTheNearestNameAndTheCommandList_Exit2()
    {
        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deplyo", "x.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("orchestra: unknown command 'deplyo' (did you mean 'deploy'?).", result.Stderr, StringComparison.Ordinal);
        var listed = CommandList(result.Stderr);
        Assert.Contains("deploy", listed);
        Assert.Contains("validate", listed);
        Assert.Contains("serve", listed);
        Assert.DoesNotContain("Required command", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsNamedAsTheCulprit_NotTheValueAfterIt()
    {
        var template = TestTemplates.Chain(_dir);

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", template, "--nmae", "web");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("orchestra: unknown option '--nmae' for 'orchestra deploy' (did you mean '--name'?).", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("'web'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'orchestra deploy --help' for usage.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectoryWhereAFileIsExpected_IsSaidToBeADirectory_Exit2()
    {
        var template = TestTemplates.Chain(_dir);
        var templates = Path.GetDirectoryName(template)!;

        var deploy = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates");
        var validate = await Harness.Orchestra.RunAsync(_dir.Path, "validate", templates);
        var plan = await Harness.Orchestra.RunAsync(_dir.Path, "plan", templates);
        var inputs = await Harness.Orchestra.RunAsync(_dir.Path, "validate", template, "--inputs-file", templates);
        var config = await Harness.Orchestra.RunAsync(_dir.Path, "list", "--config", templates);

        foreach (var result in new[] { deploy, validate, plan, inputs, config })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("is a directory, not a file", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains($"orchestra: The template 'templates' is a directory, not a file; did you mean '{Path.Combine("templates", "chain.yaml")}'?", deploy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OnAPortInUse_SaysSoInOneLine_Exit2()
    {
        var templates = Directory.CreateDirectory(Path.Combine(_dir.Path, "templates")).FullName;
        await using var first = await ServerProcess.StartAsync(_dir, templates);

        var second = await Harness.Orchestra.RunAsync(_dir.Path, null, TimeSpan.FromSeconds(60),
            "serve", "--urls", first.BaseAddress.ToString().TrimEnd('/'), "--store", Path.Combine(_dir.Path, "other-store"));
        var remote = await Harness.Orchestra.RunAsync(_dir.Path, "validate", templates, "--server", first.BaseAddress.ToString());

        Assert.True(second.ExitCode == 2, second.ToString());
        var line = Assert.Single(second.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("orchestra: cannot listen: ", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.Contains("--urls", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stdout, StringComparison.Ordinal);

        // The server judges a template path itself under --server, and says a directory is one too.
        Assert.True(remote.ExitCode == 2, remote.ToString());
        Assert.Contains("is a directory on the server", remote.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_IsAnOptionOfEveryCommandThatPrintsData_AndValidateAndPlanPrintJson()
    {
        var template = TestTemplates.Chain(_dir);

        var help = await Harness.Orchestra.RunAsync(_dir.Path, "--help");
        var commands = CommandList(help.Stdout);
        var validate = await Harness.Orchestra.RunAsync(_dir.Path, "validate", template, "--json");
        var plan = await Harness.Orchestra.RunAsync(_dir.Path, "plan", template, "--json");
        var both = await Harness.Orchestra.RunAsync(_dir.Path, "plan", template, "--json", "--format", "dot");

        Assert.True(commands.Count >= 10, help.ToString());
        foreach (var command in commands.Where(c => c != "serve"))
        {
            var usage = await Harness.Orchestra.RunAsync(_dir.Path, command, "--help");
            Assert.True(usage.Stdout.Contains("--json", StringComparison.Ordinal), $"'orchestra {command}' has no --json option:\n{usage}");
        }

        Assert.True(validate.ExitCode == 0, validate.ToString());
        using (var report = JsonDocument.Parse(validate.Stdout))
        {
            Assert.True(report.RootElement.GetProperty("valid").GetBoolean());
            Assert.Equal(3, report.RootElement.GetProperty("nodes").GetInt32());
        }

        Assert.True(plan.ExitCode == 0, plan.ToString());
        using (var compiled = JsonDocument.Parse(plan.Stdout))
        {
            Assert.Equal(3, compiled.RootElement.GetProperty("nodes").GetArrayLength());
        }

        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Contains("--json and --format dot", both.Stderr, StringComparison.Ordinal);
    }

    // The command names listed under "Commands:" (in --help, and after an unknown command).
    private static List<string> CommandList(string text)
    {
        var lines = text.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "Commands:");
        Assert.True(start >= 0, text);
        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]).ToList();
    }
}
