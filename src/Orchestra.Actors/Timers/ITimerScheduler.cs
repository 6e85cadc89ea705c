namespace Orchestra.Actors;

/// <summary>Per-actor timers that send a message to the actor itself.</summary>
/// <remarks>
/// Driven by the system's <see cref="TimeProvider"/> (so tests can use a manual clock). Starting a timer with a key
/// that is already in use replaces it; a message of a cancelled or replaced timer is never delivered, even if it
/// was already queued. All timers are cancelled when the actor stops or restarts. Use only from the actor itself.
/// Timer messages arrive with no sender.
/// </remarks>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> once, after <paramref name="delay"/>.</summary>
    /// <param name="key">Identifies the timer (for cancel and replace).</param>
    /// <param name="message">The message to send to self.</param>
    /// <param name="delay">The delay.</param>
    void StartSingleTimer(object key, object message, TimeSpan delay);

    /// <summary>Sends <paramref name="message"/> every <paramref name="interval"/>, the first time after <paramref name="interval"/>.</summary>
    /// <param name="key">Identifies the timer.</param>
    /// <param name="message">The message to send to self.</param>
    /// <param name="interval">The period.</param>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    /// <param name="key">Identifies the timer.</param>
    /// <param name="message">The message to send to self.</param>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Tells whether the timer with <paramref name="key"/> is active (started, and for a single timer not yet delivered).</summary>
    /// <param name="key">The timer's key.</param>
    /// <returns><see langword="true"/> if active.</returns>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with <paramref name="key"/>, if any.</summary>
    /// <param name="key">The timer's key.</param>
    void Cancel(object key);

    /// <summary>Cancels every timer of this actor.</summary>
    void CancelAll();
}
