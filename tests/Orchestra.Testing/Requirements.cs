using System.Collections.Concurrent;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orchestra.Testing;

/// <summary>
/// Turns a test whose <see cref="RequirementAttribute"/>s are not all met into a skipped test case, or under
/// <c>CI=true</c> into a failing one, for the discoverers of <see cref="ConditionalFactAttribute"/>,
/// <see cref="ConditionalTheoryAttribute"/> and of other facts that need the same behaviour.
/// </summary>
/// <remarks>
/// The console runner of <c>dotnet test</c> prints a skipped test's name but not its reason, so each distinct reason
/// is also sent once per test assembly as an xunit diagnostic message (shown as a warning line when the assembly's
/// xunit.runner.json has <c>"diagnosticMessages": true</c>, which the test projects get from Directory.Build.props).
/// Thread-safe: xunit may discover several classes at once.
/// </remarks>
public static class Requirements
{
    private static readonly ConcurrentDictionary<string, byte> Announced = new(StringComparer.Ordinal);

    /// <summary>Whether this run is CI's (<c>CI=true</c>), where an unmet requirement fails the test.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first unmet requirement of a test method (its own attributes, then its class's), as text.</summary>
    /// <param name="testMethod">The test method, as xunit discovers it.</param>
    /// <returns>What is missing, or <see langword="null"/> when every requirement is met.</returns>
    public static string? FindUnmet(ITestMethod testMethod)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        IEnumerable<RequirementAttribute> method = testMethod.Method is IReflectionMethodInfo m
            ? m.MethodInfo.GetCustomAttributes<RequirementAttribute>(inherit: true)
            : [];
        IEnumerable<RequirementAttribute> type = testMethod.TestClass.Class is IReflectionTypeInfo t
            ? t.Type.GetCustomAttributes<RequirementAttribute>(inherit: true)
            : [];
        return method.Concat(type).Select(r => r.FindUnmet()).FirstOrDefault(reason => reason is not null);
    }

    /// <summary>
    /// The single test case that stands for <paramref name="testMethod"/> when a requirement is unmet: skipped with
    /// the reason, or failing with it under CI.
    /// </summary>
    /// <param name="diagnosticMessageSink">xunit's diagnostics sink, where the reason is announced once.</param>
    /// <param name="discoveryOptions">xunit's discovery options (for the display name).</param>
    /// <param name="testMethod">The test method.</param>
    /// <returns>The test case, or <see langword="null"/> when every requirement is met and the test runs as usual.</returns>
    public static IXunitTestCase? UnmetCase(IMessageSink diagnosticMessageSink, ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod)
    {
        ArgumentNullException.ThrowIfNull(diagnosticMessageSink);
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        if (FindUnmet(testMethod) is not { } reason)
        {
            return null;
        }

        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (UnderCi)
        {
            return new ExecutionErrorTestCase(
                diagnosticMessageSink, display, displayOptions, testMethod, $"{reason}, and CI=true requires this test to run.");
        }

        if (Announced.TryAdd(reason, 0))
        {
            diagnosticMessageSink.OnMessage(new DiagnosticMessage($"Skipping the tests that need it: {reason}"));
        }

        return new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, reason);
    }
}
