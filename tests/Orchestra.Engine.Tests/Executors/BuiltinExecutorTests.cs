using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Tests.Executors;

[Trait("Category", "Unit")]
public sealed class BuiltinExecutorTests
{
    private static OperationRequest Request(string implementation, Dictionary<string, string>? inputs = null, int attempt = 1, TimeSpan? timeout = null) =>
        new("d", "n", "op", TaskPhase.Deploy, implementation, inputs ?? [], attempt, "k", null, timeout ?? TimeSpan.FromSeconds(30));

    private static Task<OperationResult> Run(OperationRequest request, CancellationToken ct = default) =>
        new ExecutorRegistry(new EngineOptions()).RunAsync(request, TimeProvider.System, ct);

    [Fact]
    public async Task Fail_FailsTheFirstNAttemptsThenSucceeds()
    {
        var inputs = new Dictionary<string, string> { ["message"] = "flaky", ["times"] = "2" };
        Assert.Equal(OperationOutcome.Failed, (await Run(Request("orchestra:fail", inputs, 1))).Outcome);
        var second = await Run(Request("orchestra:fail", inputs, 2));
        Assert.StartsWith("flaky", second.Error, StringComparison.Ordinal);
        Assert.Equal(OperationOutcome.Succeeded, (await Run(Request("orchestra:fail", inputs, 3))).Outcome);
        Assert.Equal(OperationOutcome.Failed, (await Run(Request("orchestra:fail", [], 99))).Outcome);
    }

    [Fact]
    public async Task Sleep_TimesOut()
    {
        var result = await Run(Request("orchestra:sleep", new() { ["seconds"] = "60" }, timeout: TimeSpan.FromMilliseconds(100)));
        Assert.Equal(OperationOutcome.TimedOut, result.Outcome);
    }

    [Fact]
    public async Task Sleep_IsCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var result = await Run(Request("orchestra:sleep", new() { ["seconds"] = "60" }), cts.Token);
        Assert.Equal(OperationOutcome.Cancelled, result.Outcome);
    }

    [Fact]
    public async Task UnknownBuiltin_FailsClearly()
    {
        var result = await Run(Request("orchestra:teleport"));
        Assert.Contains("no executor for implementation 'orchestra:teleport'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowingPlugin_BecomesAFailedAttempt()
    {
        var registry = new ExecutorRegistry(new EngineOptions()).Add(new Throwing());
        var result = await registry.RunAsync(Request("plugin:x"), TimeProvider.System, default);
        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("kaput", result.Error, StringComparison.Ordinal);
    }

    private sealed class Throwing : IOperationExecutor
    {
        public bool CanExecute(string implementation) => implementation.StartsWith("plugin:", StringComparison.Ordinal);

        public ValueTask<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException("kaput");
    }
}
