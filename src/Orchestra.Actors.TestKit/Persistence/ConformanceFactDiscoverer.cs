using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>Discovers <see cref="ConformanceFactAttribute"/> tests: like a fact, or skipped per <see cref="RequiresEnvironmentVariableAttribute"/>.</summary>
/// <remarks>
/// The test case types live in xunit's execution assembly, which every xunit test process loads but this library
/// does not reference, so they are reached by name.
/// </remarks>
public sealed class ConformanceFactDiscoverer : IXunitTestCaseDiscoverer
{
    private const string ExecutionAssembly = "xunit.execution.dotnet";
    private readonly IMessageSink _diagnostics;

    /// <summary>Created by xunit.</summary>
    /// <param name="diagnosticMessageSink">xunit's diagnostics sink.</param>
    public ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink)
    {
        _diagnostics = diagnosticMessageSink;
    }

    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        var requirement = testMethod.TestClass.Class
            .GetCustomAttributes(typeof(RequiresEnvironmentVariableAttribute).AssemblyQualifiedName)
            .FirstOrDefault();
        var skipReason = requirement is null
            ? null
            : RequiresEnvironmentVariableAttribute.SkipReason((string)requirement.GetConstructorArguments().First());

        if (skipReason is null)
        {
            var factDiscoverer = (IXunitTestCaseDiscoverer)Activator.CreateInstance(ExecutionType("Xunit.Sdk.FactDiscoverer"), _diagnostics)!;
            return factDiscoverer.Discover(discoveryOptions, testMethod, factAttribute);
        }

        var skipped = (IXunitTestCase)Activator.CreateInstance(
            ExecutionType("Xunit.Sdk.XunitSkippedDataRowTestCase"),
            BindingFlags.Public | BindingFlags.Instance,
            binder: null,
            [_diagnostics, TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, testMethod, skipReason, null],
            culture: null)!;
        return [skipped];
    }

    private static Type ExecutionType(string name) =>
        Type.GetType($"{name}, {ExecutionAssembly}", throwOnError: true)!;
}
