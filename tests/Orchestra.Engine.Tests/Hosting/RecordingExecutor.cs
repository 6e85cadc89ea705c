using System.Collections.Concurrent;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// A plugin executor for tests: <c>test:ok</c> succeeds echoing its inputs as outputs; <c>test:fail</c> fails; <c>test:gate</c> waits until
/// released (or cancelled). Records every attempt, the gated attempts that were cancelled, and the peak concurrency.
/// </summary>
internal sealed class RecordingExecutor : IOperationExecutor
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private int _running;
    private int _peak;

    public ConcurrentQueue<OperationRequest> Attempts { get; } = new();

    /// <summary>The <c>test:gate</c> attempts whose cancellation token fired while they waited.</summary>
    public ConcurrentQueue<OperationRequest> Cancelled { get; } = new();

    public int Peak => Volatile.Read(ref _peak);

    public int Running => Volatile.Read(ref _running);

    public bool CanExecute(string implementation) => implementation.StartsWith("test:", StringComparison.Ordinal);

    public void Release(string node) => Gate(node).TrySetResult();

    public void ReleaseAll()
    {
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }

    public IReadOnlyList<string> Order(Orchestra.Engine.Deployments.TaskPhase? phase = null) =>
        [.. Attempts.Where(a => phase is null || a.Phase == phase).Select(a => $"{a.Node}/{a.Operation}")];

    public async ValueTask<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(request);
        var now = Interlocked.Increment(ref _running);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        try
        {
            switch (request.Implementation)
            {
                case "test:gate":
                    try
                    {
                        await Gate(request.Node).Task.WaitAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        Cancelled.Enqueue(request);
                        throw;
                    }

                    return OperationResult.Succeeded(request.Inputs);
                case "test:fail":
                    return OperationResult.Failed("test failure", 3);
                default:
                    return OperationResult.Succeeded(request.Inputs);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private TaskCompletionSource Gate(string node) => _gates.GetOrAdd(node, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
