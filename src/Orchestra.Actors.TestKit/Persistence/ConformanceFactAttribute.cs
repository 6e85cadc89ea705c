using Xunit;
using Xunit.Sdk;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>
/// A <see cref="FactAttribute"/> for the conformance suites: it is skipped, with a visible reason, when the
/// inheriting test class carries a <see cref="RequiresEnvironmentVariableAttribute"/> whose variable is not set
/// (unless <c>CI=true</c>, where the test runs and fails instead).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Orchestra.Actors.TestKit.Persistence.ConformanceFactDiscoverer", "Orchestra.Actors.TestKit")]
public sealed class ConformanceFactAttribute : FactAttribute
{
}

/// <summary>
/// Marks a test class inheriting a conformance suite as needing an environment variable (e.g. the PostgreSQL
/// connection string): without it its tests are skipped with a reason, or fail when <c>CI=true</c>.
/// </summary>
/// <param name="name">The environment variable.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequiresEnvironmentVariableAttribute(string name) : Attribute
{
    /// <summary>The environment variable.</summary>
    public string Name { get; } = name;

    /// <summary>Why a test needing <paramref name="name"/> is skipped now, or <see langword="null"/> if it must run.</summary>
    /// <param name="name">The environment variable.</param>
    public static string? SkipReason(string name)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            return null;
        }

        return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{name} is not set (set it to run these tests; with CI=true they fail instead of skipping).";
    }
}
