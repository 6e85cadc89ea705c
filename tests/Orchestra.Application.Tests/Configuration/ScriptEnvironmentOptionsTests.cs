using Microsoft.Extensions.Configuration;
using Orchestra.Engine;
using Orchestra.Engine.Executors;

namespace Orchestra.Application.Tests.Configuration;

/// <summary>The script environment's options as operators write them: the shipped <c>config/orchestra.json</c> and <c>ORCHESTRA__ENGINE__...</c> keys.</summary>
[Trait("Category", "Unit")]
public sealed class ScriptEnvironmentOptionsTests
{
    private static EngineOptions Bind(IConfiguration configuration)
    {
        var engine = new EngineOptions();
        configuration.GetSection("Orchestra:Engine").Bind(engine);
        engine.Validate();
        return engine;
    }

    [Fact]
    public void ShippedConfiguration_GivesScriptsTheSafeSearchPath_AndPassesNothing()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Orchestra.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no Orchestra.sln above the test binaries");
        }

        var engine = Bind(new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "config", "orchestra.json")).Build());

        Assert.Equal(ScriptEnvironment.DefaultSearchPath, engine.ScriptSearchPath);
        Assert.Empty(engine.PassEnvironment);
    }

    [Fact]
    public void PassEnvironment_BindsFromIndexedKeys()
    {
        var engine = Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchestra:Engine:PassEnvironment:0"] = "HTTPS_PROXY",
            ["Orchestra:Engine:PassEnvironment:1"] = "NO_PROXY",
            ["Orchestra:Engine:ScriptSearchPath"] = "/opt/tools/bin:/usr/bin:/bin",
        }).Build());

        Assert.Equal(["HTTPS_PROXY", "NO_PROXY"], engine.PassEnvironment);
        Assert.Equal("/opt/tools/bin:/usr/bin:/bin", engine.ScriptSearchPath);
    }
}
