using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.EndToEnd.Tests;

/// <summary>The real <c>orchestra deploy</c>: an input named after a variable bash acts on is refused at its position, and the orchestrator's secrets never reach a script.</summary>
[Trait("Category", "Integration")]
public sealed class CliScriptEnvironmentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Template(string inputs) => _dir.Write("templates/app.yaml", $$"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            app:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create:
                    implementation: create.sh
                    inputs: {{inputs}}
        """);

    [Fact]
    public async Task Deploy_TemplateWithABashEnvInput_ExitsTwoAtTheInput_AndRunsNothing()
    {
        var pwned = Path.Combine(_dir.Path, "pwned");
        var ran = Path.Combine(_dir.Path, "ran");
        _dir.Write("templates/create.sh", $"touch '{ran}'\n");
        Template($"{{ BASH_ENV: \"$(id > {pwned})\" }}");

        var result = await Harness.Orchestra.RunAsync(_dir.Path, "deploy", "templates/app.yaml", "--store", _dir.Store);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("templates/app.yaml:10:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error TOS306", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(pwned), "the input ran code as the orchestrator's user");
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public async Task Deploy_ScriptEnvironment_HoldsNoneOfTheOrchestratorsSecrets()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var dump = Path.Combine(_dir.Path, "environ");
        _dir.Write("templates/create.sh", $"tr '\\0' '\\n' < /proc/$$/environ > '{dump}'\n");
        Template("{ port: 8080 }");
        var environment = new Dictionary<string, string>
        {
            ["ORCHESTRA__SERVER__BEARERTOKEN"] = secret,
            ["DATABASE_URL"] = $"postgres://app:{secret}@db/app",
            ["AWS_SECRET_ACCESS_KEY"] = secret,
        };

        var result = await Harness.Orchestra.RunAsync(_dir.Path, environment, TimeSpan.FromSeconds(90), "deploy", "templates/app.yaml", "--store", _dir.Store);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(dump);
        Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.Contains("port=8080", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("DOTNET_", StringComparison.Ordinal));
    }
}
