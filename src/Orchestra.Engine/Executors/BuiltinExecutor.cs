using System.Globalization;

namespace Orchestra.Engine.Executors;

/// <summary>
/// The built-in implementations, for tests, samples and benchmarks: <c>orchestra:noop</c> (succeeds at once),
/// <c>orchestra:sleep</c> (waits input <c>seconds</c>, a decimal number), <c>orchestra:fail</c> (fails the first <c>times</c>
/// attempts with input <c>message</c>, then succeeds; without <c>times</c> it always fails).
/// </summary>
/// <remarks>Runs in process: no child process, nothing to kill. Thread-safe.</remarks>
/// <param name="timeProvider">The clock <c>orchestra:sleep</c> waits on.</param>
public sealed class BuiltinExecutor(TimeProvider timeProvider) : IOperationExecutor
{
    /// <summary>The prefix of built-in implementation names.</summary>
    public const string Prefix = "orchestra:";

    private static readonly ValueTask<OperationResult> Done = ValueTask.FromResult(OperationResult.Success);

    /// <summary>The built-in implementations this executor runs (the TOSCA compiler refuses any other <c>orchestra:</c> name).</summary>
    public static IReadOnlyList<string> Names { get; } = ["orchestra:noop", "orchestra:sleep", "orchestra:fail"];

    /// <inheritdoc/>
    public bool CanExecute(string implementation) => Names.Contains(implementation);

    /// <inheritdoc/>
    public ValueTask<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Implementation switch
        {
            "orchestra:noop" => Done,
            "orchestra:sleep" => SleepAsync(request, cancellationToken),
            "orchestra:fail" => ValueTask.FromResult(Fail(request)),
            _ => ValueTask.FromResult(OperationResult.Failed($"unknown built-in implementation '{request.Implementation}'")),
        };
    }

    private static OperationResult Fail(OperationRequest request)
    {
        var message = request.Inputs.TryGetValue("message", out var m) && m.Length > 0 ? m : "orchestra:fail failed as asked";
        if (!request.Inputs.TryGetValue("times", out var timesText) || timesText.Length == 0)
        {
            return OperationResult.Failed(message, 1);
        }

        if (!int.TryParse(timesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var times))
        {
            return OperationResult.Failed($"orchestra:fail: input 'times' must be an integer, got '{timesText}'");
        }

        return request.Attempt <= times ? OperationResult.Failed($"{message} (attempt {request.Attempt} of the first {times} that fail)", 1) : OperationResult.Success;
    }

    private async ValueTask<OperationResult> SleepAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        if (!request.Inputs.TryGetValue("seconds", out var text)
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || double.IsNaN(seconds))
        {
            return OperationResult.Failed($"orchestra:sleep: input 'seconds' must be a non-negative number, got '{text}'");
        }

        await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0)), timeProvider, cancellationToken).ConfigureAwait(false);
        return OperationResult.Success;
    }
}
