namespace Orchestra.Engine.Executors;

/// <summary>Runs one attempt of an operation's implementation. A plugin adds a kind of implementation by implementing it.</summary>
/// <remarks>
/// <para>An executor must honour the cancellation token of <see cref="ExecuteAsync"/> promptly (kill what it started) and
/// report problems as an <see cref="OperationResult"/>, not by throwing: the engine treats an exception as a failed attempt
/// carrying the exception's message.</para>
/// <para>Executors are shared by every deployment of a host and called concurrently: they must be thread-safe.</para>
/// </remarks>
public interface IOperationExecutor
{
    /// <summary>Whether this executor runs <paramref name="implementation"/> (a path or a built-in name such as <c>orchestra:noop</c>).</summary>
    /// <param name="implementation">The operation's implementation, never <see langword="null"/>.</param>
    /// <returns><see langword="true"/> to claim it.</returns>
    bool CanExecute(string implementation);

    /// <summary>Runs one attempt.</summary>
    /// <param name="request">What to run, with the rendered inputs and the attempt's identity.</param>
    /// <param name="cancellationToken">Fires on timeout or on cancel of the deployment: stop and kill what was started.</param>
    /// <returns>The outcome.</returns>
    ValueTask<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken);
}
