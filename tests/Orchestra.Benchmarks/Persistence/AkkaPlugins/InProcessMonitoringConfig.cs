using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Orchestra.Benchmarks.Persistence.AkkaPlugins;

/// <summary>
/// The short job of the Akka journal benchmarks: Monitoring strategy (every invocation does real durable work, so
/// no pilot stage), 1 warm-up and 3 iterations of one invocation, in process: generating and building a project
/// per case timed out (2 minutes) on the loaded shared machine.
/// </summary>
public sealed class InProcessMonitoringConfig : ManualConfig
{
    public InProcessMonitoringConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("InProcessShort"));
    }
}
