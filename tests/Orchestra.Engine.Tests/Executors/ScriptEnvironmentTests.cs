using Orchestra.Engine.Executors;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>The input-name rule, and the plan validator applying it.</summary>
[Trait("Category", "Unit")]
public sealed class ScriptEnvironmentTests
{
    [Theory]
    // bash, sh, dash, zsh
    [InlineData("BASH_ENV")]
    [InlineData("BASH_FUNC_ls%%")]
    [InlineData("BASH_FUNC_ls")]
    [InlineData("BASHOPTS")]
    [InlineData("ENV")]
    [InlineData("SHELLOPTS")]
    [InlineData("PS4")]
    [InlineData("IFS")]
    [InlineData("CDPATH")]
    [InlineData("ZDOTDIR")]
    // the executor's own
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("TMPDIR")]
    [InlineData("LANG")]
    [InlineData("ORCHESTRA_OUTPUTS")]
    [InlineData("ORCHESTRA_ANYTHING")]
    // the loader and glibc
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("LD_AUDIT")]
    [InlineData("GCONV_PATH")]
    [InlineData("GLIBC_TUNABLES")]
    [InlineData("HOSTALIASES")]
    [InlineData("LOCPATH")]
    [InlineData("MALLOC_CHECK_")]
    [InlineData("MALLOC_ARENA_MAX")]
    [InlineData("NLSPATH")]
    [InlineData("RES_OPTIONS")]
    [InlineData("LC_CTYPE")]
    [InlineData("LANGUAGE")]
    [InlineData("TZ")]
    // interpreters
    [InlineData("PYTHONPATH")]
    [InlineData("PYTHONSTARTUP")]
    [InlineData("PYTHONWARNINGS")]
    [InlineData("PYENV_VERSION")]
    [InlineData("PERL5OPT")]
    [InlineData("PERL5LIB")]
    [InlineData("PERLLIB")]
    [InlineData("RUBYOPT")]
    [InlineData("RUBYLIB")]
    [InlineData("GEM_PATH")]
    [InlineData("NODE_OPTIONS")]
    [InlineData("NODE_PATH")]
    [InlineData("npm_config_script_shell")]
    [InlineData("JAVA_TOOL_OPTIONS")]
    [InlineData("_JAVA_OPTIONS")]
    [InlineData("JDK_JAVA_OPTIONS")]
    [InlineData("CLASSPATH")]
    [InlineData("DOTNET_STARTUP_HOOKS")]
    [InlineData("COMPlus_EnableDiagnostics")]
    [InlineData("CORECLR_PROFILER_PATH")]
    // tools
    [InlineData("GIT_SSH_COMMAND")]
    [InlineData("GIT_CONFIG_PARAMETERS")]
    [InlineData("SSH_ASKPASS")]
    [InlineData("SSH_AUTH_SOCK")]
    [InlineData("EDITOR")]
    [InlineData("PAGER")]
    [InlineData("LESSOPEN")]
    [InlineData("http_proxy")]
    [InlineData("HTTPS_PROXY")]
    [InlineData("OPENSSL_CONF")]
    [InlineData("XDG_CONFIG_HOME")]
    [InlineData("KUBECONFIG")]
    public void NameSomethingActsOn_IsRefused_SayingWhat(string name)
    {
        Assert.False(ScriptEnvironment.IsAllowedInputName(name, out var reason));
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a=b", "'='")]
    [InlineData("a\0b", "NUL")]
    [InlineData("LD-PRELOAD", "passed as LD_PRELOAD")]
    [InlineData("BASH_FUNC_x%%", "passed as BASH_FUNC_x__")]
    [InlineData("GIT-SSH-COMMAND", "passed as GIT_SSH_COMMAND")]
    public void NameThatCannotBeOrBecomesADeniedVariable_IsRefused(string name, string why)
    {
        Assert.False(ScriptEnvironment.IsAllowedInputName(name, out var reason));
        Assert.Contains(why, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db-port", "db_port")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a.b", "a_b")]
    [InlineData("a b", "a_b")]
    [InlineData("caf\u00e9", "caf_")]
    [InlineData("db_port", "db_port")]
    public void NameThatIsNotAVariableName_IsPassedAsItsVariableName_AsEarlierReleasesDid(string name, string variable)
    {
        Assert.True(ScriptEnvironment.IsAllowedInputName(name, out var reason), reason);
        Assert.Equal(variable, ScriptEnvironment.VariableNameFor(name));
    }

    [Fact]
    public void InputsPassedAsTheSameVariable_Collide()
    {
        var collision = Assert.Single(ScriptEnvironment.Collisions(["db-port", "host", "db_port", "db.port"]));

        Assert.Equal("db_port", collision.Variable);
        Assert.Equal(["db-port", "db.port", "db_port"], collision.Inputs);
    }

    [Theory]
    [InlineData("URL")]
    [InlineData("port")]
    [InlineData("db_port")]
    [InlineData("STATE_DIR")]
    [InlineData("SECONDS_TO_WORK")]
    [InlineData("path")]
    [InlineData("home")]
    [InlineData("user")]
    [InlineData("env")]
    [InlineData("_private")]
    [InlineData("greeting")]
    public void OrdinaryName_IsAllowed(string name)
    {
        Assert.True(ScriptEnvironment.IsAllowedInputName(name, out var reason));
        Assert.Null(reason);
    }

    [Fact]
    public void PlanWithAnUnsafeInputName_FailsValidation_NamingNodeOperationAndInput()
    {
        var create = new PlanOperation("Standard.create", "create.sh", new Dictionary<string, PlanValue> { ["BASH_ENV"] = PlanValue.Literal("$(id)") });
        var delete = new PlanOperation("Standard.delete", "delete.sh", new Dictionary<string, PlanValue> { ["LD_PRELOAD"] = PlanValue.Literal("/x.so") });
        var plan = new DeploymentPlan("p", [new PlanNode("web", "T", [create with { Revert = delete }], [], [])], []);

        var errors = PlanValidator.Validate(plan);

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(("web", "Standard.create"), (e.Node, e.Operation)));
        Assert.Contains("input 'BASH_ENV' of operation 'Standard.create' of node 'web'", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("input 'LD_PRELOAD' of the revert", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PassEnvironment_WithAName_ThatIsNotAVariable_FailsOptionsValidation()
    {
        Assert.Throws<ArgumentException>(() => new EngineOptions { PassEnvironment = ["HTTP PROXY"] }.Validate());
        Assert.Throws<ArgumentException>(() => new EngineOptions { PassEnvironment = ["ORCHESTRA_OUTPUTS"] }.Validate());
        new EngineOptions { PassEnvironment = ["HTTPS_PROXY", "AWS_REGION"] }.Validate();
    }
}
