using System.Diagnostics;
using Xunit;

namespace Orchestra.Actors.TestKit;

/// <summary>Waits until an assertion passes or a condition holds, polling, instead of sleeping a fixed time.</summary>
public static class AwaitUtilities
{
    /// <summary>The default total wait: 10 seconds (generous, for loaded machines; normally resolves in milliseconds).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default polling interval: 10 milliseconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Runs <paramref name="assertion"/> until it stops throwing; rethrows its last failure after <paramref name="timeout"/>.</summary>
    /// <param name="assertion">The assertion.</param>
    /// <param name="timeout">The total wait; <see cref="DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="interval">The pause between tries; <see cref="DefaultInterval"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task.</returns>
    public static async Task AwaitAssertAsync(Action assertion, TimeSpan? timeout = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var total = timeout ?? DefaultTimeout;
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (Stopwatch.GetElapsedTime(start) < total)
            {
                await Task.Delay(interval ?? DefaultInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Synchronous form of <see cref="AwaitAssertAsync"/>.</summary>
    /// <param name="assertion">The assertion.</param>
    /// <param name="timeout">The total wait.</param>
    /// <param name="interval">The pause between tries.</param>
    public static void AwaitAssert(Action assertion, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        AwaitAssertAsync(assertion, timeout, interval).GetAwaiter().GetResult();

    /// <summary>Waits until <paramref name="condition"/> is true; fails the test after <paramref name="timeout"/>.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">The total wait; <see cref="DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="interval">The pause between tries; <see cref="DefaultInterval"/> when <see langword="null"/>.</param>
    /// <param name="message">Describes the condition in the failure message.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task.</returns>
    public static async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null, string? message = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var total = timeout ?? DefaultTimeout;
        var start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) >= total)
            {
                Assert.Fail($"Condition not met within {total}{(message is null ? "." : ": " + message)}");
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous form of <see cref="AwaitConditionAsync"/>.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">The total wait.</param>
    /// <param name="interval">The pause between tries.</param>
    /// <param name="message">Describes the condition in the failure message.</param>
    public static void AwaitCondition(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null, string? message = null) =>
        AwaitConditionAsync(condition, timeout, interval, message).GetAwaiter().GetResult();
}
