using Orchestra.Testing;

namespace Orchestra.Console.Tests.Browser;

/// <summary>A test drives Debian's headless Chromium through its chromedriver (<c>apt-get install chromium chromium-driver</c>; .ci/run does).</summary>
public sealed class RequiresChromiumAttribute : RequirementAttribute
{
    /// <summary>The browser, Debian's path unless <c>ORCHESTRA_TEST_CHROMIUM</c> names another.</summary>
    public static string Chromium => Environment.GetEnvironmentVariable("ORCHESTRA_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The driver, Debian's path unless <c>ORCHESTRA_TEST_CHROMEDRIVER</c> names another.</summary>
    public static string ChromeDriver => Environment.GetEnvironmentVariable("ORCHESTRA_TEST_CHROMEDRIVER") is { Length: > 0 } path ? path : "/usr/bin/chromedriver";

    /// <inheritdoc/>
    public override string? FindUnmet() =>
        File.Exists(Chromium) && File.Exists(ChromeDriver)
            ? null
            : $"the console's browser tests need {Chromium} and {ChromeDriver} (Debian: apt-get install chromium chromium-driver; .ci/run installs them)";
}
