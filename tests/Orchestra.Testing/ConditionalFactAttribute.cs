using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orchestra.Testing;

/// <summary>A fact that honours the <see cref="RequirementAttribute"/>s on its method and class (see <see cref="Requirements"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Orchestra.Testing.ConditionalFactDiscoverer", "Orchestra.Testing")]
public sealed class ConditionalFactAttribute : FactAttribute
{
}

/// <summary>Discovers <see cref="ConditionalFactAttribute"/> tests: as facts, or as one skipped or failing case.</summary>
/// <param name="diagnosticMessageSink">xunit's diagnostics sink.</param>
public sealed class ConditionalFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        Requirements.UnmetCase(DiagnosticMessageSink, discoveryOptions, testMethod) is { } unmet
            ? [unmet]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}
