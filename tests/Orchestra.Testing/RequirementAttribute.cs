namespace Orchestra.Testing;

/// <summary>
/// Something a test needs from outside the repository (an environment variable, a service, a folder, a privilege).
/// Put it on a test method or class whose tests use <see cref="ConditionalFactAttribute"/> or
/// <see cref="ConditionalTheoryAttribute"/>.
/// </summary>
/// <remarks>
/// When the requirement is unmet the test is skipped with <see cref="FindUnmet"/>'s text as its reason, and that text
/// is also printed once per test assembly (as an xunit diagnostic message, which the console runner shows at its
/// default verbosity). With <c>CI=true</c> the test fails with the same text instead: CI must run everything.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public abstract class RequirementAttribute : Attribute
{
    /// <summary>Checks the requirement now.</summary>
    /// <returns>What is missing and how to provide it, for a person to read; <see langword="null"/> when it is met.</returns>
    public abstract string? FindUnmet();
}
