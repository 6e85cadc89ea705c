using System.Diagnostics.CodeAnalysis;

// The conformance suites are xunit tests shipped in a library: test names use Scenario_Expectation underscores,
// and test code awaits on xunit's context like every other test project.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "xunit test names", Scope = "namespaceanddescendants", Target = "~N:Orchestra.Actors.TestKit.Persistence")]
[assembly: SuppressMessage("Reliability", "CA2007:Consider calling ConfigureAwait on the awaited task", Justification = "xunit test code", Scope = "namespaceanddescendants", Target = "~N:Orchestra.Actors.TestKit.Persistence")]
