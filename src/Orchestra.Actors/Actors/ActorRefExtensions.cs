namespace Orchestra.Actors;

/// <summary>Request/response and result piping on refs and tasks.</summary>
public static class ActorRefExtensions
{
    /// <summary>Sends <paramref name="message"/> and waits for the first reply, through a temporary ref that is released when the ask ends.</summary>
    /// <typeparam name="T">The expected reply type.</typeparam>
    /// <param name="actor">The actor to ask.</param>
    /// <param name="message">The request.</param>
    /// <param name="timeout">How long to wait (measured on the system's <see cref="TimeProvider"/>); <see cref="Timeout.InfiniteTimeSpan"/> to rely on the token only.</param>
    /// <param name="cancellationToken">Abandons the ask.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> was not created by an actor system.</exception>
    /// <remarks>A <see cref="Status.Failure"/> reply fails the task with its cause. A reply arriving after the ask ended becomes a dead letter.</remarks>
    public static Task<T> Ask<T>(this IActorRef actor, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(message);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        }

        var system = (actor as Dispatch.InternalActorRef)?.System
            ?? throw new ArgumentException($"Only refs created by an ActorSystem can be asked, not {actor.GetType().Name}.", nameof(actor));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var promise = new PromiseActorRef<T>(system, actor);
        promise.Start(timeout, cancellationToken);
        actor.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Asks with the system's <see cref="ActorSystemOptions.DefaultAskTimeout"/>.</summary>
    /// <typeparam name="T">The expected reply type.</typeparam>
    /// <param name="actor">The actor to ask.</param>
    /// <param name="message">The request.</param>
    /// <param name="cancellationToken">Abandons the ask.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="AskTimeoutException">No reply within the default timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static Task<T> Ask<T>(this IActorRef actor, object message, CancellationToken cancellationToken = default)
    {
        var system = (actor as Dispatch.InternalActorRef)?.System
            ?? throw new ArgumentException($"Only refs created by an ActorSystem can be asked, not {actor?.GetType().Name}.", nameof(actor));
        return actor.Ask<T>(message, system.Options.DefaultAskTimeout, cancellationToken);
    }

    /// <summary>Sends the result of <paramref name="task"/> to <paramref name="recipient"/> as a message when it completes; the work itself runs outside any actor.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The work.</param>
    /// <param name="recipient">Who gets the result (usually <c>Self</c>).</param>
    /// <param name="sender">The sender of the result message; none when <see langword="null"/>.</param>
    /// <param name="success">Maps the result to a message; the result itself when <see langword="null"/>.</param>
    /// <param name="failure">Maps a failure (or cancellation) to a message; a <see cref="Status.Failure"/> when <see langword="null"/>.</param>
    /// <returns>A task that completes once the message is sent; it never faults.</returns>
    /// <remarks>If <paramref name="success"/> throws, the failure message is sent instead.</remarks>
    public static Task PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null, Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return PipeAsync(task, recipient, sender, success, failure);

        static async Task PipeAsync(Task<T> task, IActorRef recipient, IActorRef? sender, Func<T, object>? success, Func<Exception, object>? failure)
        {
            object message;
            try
            {
                var result = await task.ConfigureAwait(false);
                message = success is null ? result! : success(result);
            }
            catch (Exception ex)
            {
                message = failure is null ? new Status.Failure(ex) : failure(ex);
            }

            recipient.Tell(message, sender ?? (recipient as Dispatch.InternalActorRef)?.System.DeadLetters);
        }
    }

    /// <summary>Sends a message to <paramref name="recipient"/> when <paramref name="task"/> completes.</summary>
    /// <param name="task">The work.</param>
    /// <param name="recipient">Who gets the outcome.</param>
    /// <param name="sender">The sender of the outcome message; none when <see langword="null"/>.</param>
    /// <param name="success">Returns the success message; a <see cref="Status.Success"/> when <see langword="null"/>.</param>
    /// <param name="failure">Maps a failure to a message; a <see cref="Status.Failure"/> when <see langword="null"/>.</param>
    /// <returns>A task that completes once the message is sent; it never faults.</returns>
    public static Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null, Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return PipeAsync(task, recipient, sender, success, failure);

        static async Task PipeAsync(Task task, IActorRef recipient, IActorRef? sender, Func<object>? success, Func<Exception, object>? failure)
        {
            object message;
            try
            {
                await task.ConfigureAwait(false);
                message = success is null ? new Status.Success(null) : success();
            }
            catch (Exception ex)
            {
                message = failure is null ? new Status.Failure(ex) : failure(ex);
            }

            recipient.Tell(message, sender ?? (recipient as Dispatch.InternalActorRef)?.System.DeadLetters);
        }
    }
}
