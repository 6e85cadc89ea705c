using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>
/// Inputs that try to become code through the environment of a real bash or python3 process, and the orchestrator's own
/// environment that must not reach a script. Each request goes straight to the executor, as a journaled plan or one submitted
/// without the compiler would.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScriptEnvironmentAttackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-env-").FullName;
    private readonly EngineOptions _options = new() { KillGracePeriod = TimeSpan.FromMilliseconds(500) };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Pwned => Path.Combine(_dir, "pwned");

    private string Ran => Path.Combine(_dir, "ran");

    private string Script(string name, string body)
    {
        File.WriteAllText(Path.Combine(_dir, name), body.ReplaceLineEndings("\n"));
        return name;
    }

    private OperationRequest Request(string implementation, Dictionary<string, string> inputs) =>
        new("dep-1", "web", "Standard.create", TaskPhase.Deploy, implementation, inputs, 1, "dep-1/web/Standard.create/deploy", _dir, TimeSpan.FromSeconds(30));

    private Task<OperationResult> Run(OperationRequest request) =>
        new ExecutorRegistry(_options).RunAsync(request, TimeProvider.System, CancellationToken.None);

    private void AssertRefusedAndNothingRan(OperationResult result, string input)
    {
        Assert.False(File.Exists(Pwned), $"the input {input} ran code as the orchestrator's user");
        Assert.False(File.Exists(Ran), "the script started although one of its inputs is refused");
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains($"input '{input}'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BashEnvInput_WithCommandSubstitution_IsRefusedAndRunsNothing()
    {
        Script("create.sh", $"touch '{Ran}'\n");

        var result = await Run(Request("create.sh", new() { ["BASH_ENV"] = $"$(id > '{Pwned}')" }));

        AssertRefusedAndNothingRan(result, "BASH_ENV");
    }

    [Fact]
    public async Task BashFunctionInput_IsRefusedAndRunsNothing()
    {
        Script("create.sh", $"touch '{Ran}'\n");

        var result = await Run(Request("create.sh", new() { ["BASH_FUNC_touch%%"] = $"() {{ id > '{Pwned}'; }}" }));

        AssertRefusedAndNothingRan(result, "BASH_FUNC_touch%%");
    }

    [Fact]
    public async Task LdPreloadInput_IsRefusedAndRunsNothing()
    {
        Script("create.sh", $"touch '{Ran}'\n");

        var result = await Run(Request("create.sh", new() { ["LD_PRELOAD"] = Path.Combine(_dir, "evil.so") }));

        AssertRefusedAndNothingRan(result, "LD_PRELOAD");
    }

    [Fact]
    public async Task PythonPathInput_WithASiteCustomize_IsRefusedAndRunsNothing()
    {
        var evil = Directory.CreateDirectory(Path.Combine(_dir, "evil")).FullName;
        File.WriteAllText(Path.Combine(evil, "sitecustomize.py"), $"open({System.Text.Json.JsonSerializer.Serialize(Pwned)}, 'w').write('pwned')\n");
        Script("create.py", $"open({System.Text.Json.JsonSerializer.Serialize(Ran)}, 'w').write('ran')\n");

        var result = await Run(Request("create.py", new() { ["PYTHONPATH"] = evil }));

        AssertRefusedAndNothingRan(result, "PYTHONPATH");
    }

    [Fact]
    public async Task DashedInputName_ThatBecomesALoaderVariable_IsRefused()
    {
        Script("create.sh", $"touch '{Ran}'\n");

        var result = await Run(Request("create.sh", new() { ["LD-PRELOAD"] = Path.Combine(_dir, "evil.so") }));

        AssertRefusedAndNothingRan(result, "LD-PRELOAD");
    }

    [Fact]
    public async Task DashedInputName_IsPassedAsItsVariableName_AsEarlierReleasesDid()
    {
        Script("create.sh", "echo \"port=$db_port\" >> \"$ORCHESTRA_OUTPUTS\"\n");

        var result = await Run(Request("create.sh", new() { ["db-port"] = "5432" }));

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        Assert.Equal("5432", result.Outputs["port"]);
    }

    [Fact]
    public async Task InputsPassedAsTheSameVariable_AreRefused_AndNothingRuns()
    {
        Script("create.sh", $"touch '{Ran}'\n");

        var result = await Run(Request("create.sh", new() { ["db-port"] = "1", ["db_port"] = "2" }));

        Assert.False(File.Exists(Ran), "the script started although two inputs collide");
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("'db-port' and 'db_port' would all be passed to the script as db_port", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrchestratorSecrets_AreNotVisibleToTheScript()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var names = new[] { "ORCHESTRA__SERVER__BEARERTOKEN", "ORCHESTRA_TEST_DATABASE_URL_" + Guid.NewGuid().ToString("N")[..8] };
        var dump = Path.Combine(_dir, "environ");
        Script("create.sh", $"tr '\\0' '\\n' < /proc/$$/environ > '{dump}'\n");
        foreach (var name in names)
        {
            Environment.SetEnvironmentVariable(name, secret);
        }

        OperationResult result;
        try
        {
            result = await Run(Request("create.sh", new() { ["port"] = "8080" }));
        }
        finally
        {
            foreach (var name in names)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        Assert.Equal(OperationOutcome.Succeeded, result.Outcome);
        var environment = File.ReadAllLines(dump);
        Assert.DoesNotContain(environment, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.Contains("port=8080", environment);
        Assert.Equal(
            ["HOME", "LANG", "LC_ALL", "LOGNAME", "ORCHESTRA_ATTEMPT", "ORCHESTRA_DEPLOYMENT", "ORCHESTRA_IDEMPOTENCY_KEY", "ORCHESTRA_NODE", "ORCHESTRA_OPERATION",
             "ORCHESTRA_OUTPUTS", "ORCHESTRA_PHASE", "PATH", "TMPDIR", "USER", "port"],
            environment.Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
        Assert.Contains($"PATH={ScriptEnvironment.DefaultSearchPath}", environment);
        Assert.Contains("LC_ALL=C.UTF-8", environment);
    }

    [Fact]
    public async Task PassEnvironment_PassesOnlyTheListedVariables_AndAnInputOfThatNameIsRefused()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (listed, unlisted) = ("TEST_PROXY_" + suffix, "TEST_UNLISTED_" + suffix);
        _options.PassEnvironment = [listed, "TEST_ABSENT_" + suffix];
        _options.ScriptSearchPath = "/usr/bin:/bin";
        Script("create.sh", $$"""
            echo "listed=${{{listed}}-unset}" >> "$ORCHESTRA_OUTPUTS"
            echo "unlisted=${{{unlisted}}-unset}" >> "$ORCHESTRA_OUTPUTS"
            echo "absent=${TEST_ABSENT_{{suffix}}-unset}" >> "$ORCHESTRA_OUTPUTS"
            echo "path=$PATH" >> "$ORCHESTRA_OUTPUTS"
            """);
        Environment.SetEnvironmentVariable(listed, "http://proxy:3128");
        Environment.SetEnvironmentVariable(unlisted, "leak");
        OperationResult passed, clash;
        try
        {
            passed = await Run(Request("create.sh", []));
            clash = await Run(Request("create.sh", new() { [listed] = "http://attacker:3128" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(listed, null);
            Environment.SetEnvironmentVariable(unlisted, null);
        }

        Assert.Equal(OperationOutcome.Succeeded, passed.Outcome);
        Assert.Equal("http://proxy:3128", passed.Outputs["listed"]);
        Assert.Equal("unset", passed.Outputs["unlisted"]);
        Assert.Equal("unset", passed.Outputs["absent"]);
        Assert.Equal("/usr/bin:/bin", passed.Outputs["path"]);
        Assert.Equal(OperationOutcome.Failed, clash.Outcome);
        Assert.Contains($"input '{listed}'", clash.Error, StringComparison.Ordinal);
        Assert.Contains("PassEnvironment", clash.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NulInAnInputValue_IsRefusedRatherThanTruncated()
    {
        Script("create.sh", $"touch '{Ran}'\n");

        var result = await Run(Request("create.sh", new() { ["flag"] = "on\0--evil" }));

        Assert.False(File.Exists(Ran));
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("input 'flag' holds a NUL character", result.Error, StringComparison.Ordinal);
    }
}
