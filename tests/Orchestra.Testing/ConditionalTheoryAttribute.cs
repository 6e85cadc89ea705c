using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orchestra.Testing;

/// <summary>
/// A theory that honours the <see cref="RequirementAttribute"/>s on its method and class (see <see cref="Requirements"/>).
/// </summary>
/// <remarks>When a requirement is unmet its data is not enumerated, so member data may read what the requirement guards.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Orchestra.Testing.ConditionalTheoryDiscoverer", "Orchestra.Testing")]
public sealed class ConditionalTheoryAttribute : TheoryAttribute
{
}

/// <summary>Discovers <see cref="ConditionalTheoryAttribute"/> tests: as theories, or as one skipped or failing case.</summary>
/// <param name="diagnosticMessageSink">xunit's diagnostics sink.</param>
public sealed class ConditionalTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        Requirements.UnmetCase(DiagnosticMessageSink, discoveryOptions, testMethod) is { } unmet
            ? [unmet]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
