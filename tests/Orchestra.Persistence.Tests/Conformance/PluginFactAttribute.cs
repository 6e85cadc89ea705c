using System.Reflection;
using Orchestra.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orchestra.Persistence.Tests.Conformance;

/// <summary>
/// A conformance fact: skipped with a reason when a <see cref="RequirementAttribute"/> of the backend class is unmet
/// (with CI=true it fails instead; see <see cref="Requirements"/>), and, for an
/// <see cref="OrchestraOnly"/> case, when the backend class is marked <see cref="WithoutOrchestraGuaranteesAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Orchestra.Persistence.Tests.Conformance.PluginFactDiscoverer", "Orchestra.Persistence.Tests")]
public sealed class PluginFactAttribute : FactAttribute
{
    /// <summary>Whether the case tests what only Orchestra's plugins promise (fencing, per-write verdicts, serialization).</summary>
    public bool OrchestraOnly { get; set; }
}

/// <summary>Marks a backend (Akka's own in-memory journal) that does not give Orchestra's extra guarantees.</summary>
/// <param name="reason">Why its Orchestra-only cases are skipped.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WithoutOrchestraGuaranteesAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

public sealed class PluginFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (Requirements.UnmetCase(diagnosticMessageSink, discoveryOptions, testMethod) is { } unmet)
        {
            return [unmet];
        }

        var type = testMethod.TestClass.Class;
        string? skip = null;
        if (factAttribute.GetNamedArgument<bool>(nameof(PluginFactAttribute.OrchestraOnly))
            && type.GetCustomAttributes(typeof(WithoutOrchestraGuaranteesAttribute).AssemblyQualifiedName).FirstOrDefault() is { } without)
        {
            skip = "Orchestra-only case: " + (string)without.GetConstructorArguments().First();
        }

        if (skip is null)
        {
            return new FactDiscoverer(diagnosticMessageSink).Discover(discoveryOptions, testMethod, factAttribute);
        }

        return
        [
            new XunitSkippedDataRowTestCase(diagnosticMessageSink, TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, testMethod, skip),
        ];
    }
}
