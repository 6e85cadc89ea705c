using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Orchestra.Console.Tests.Browser;

/// <summary>A headless Chromium at 1280x800, driven through chromedriver, with waits and screenshots for the console's tests.</summary>
public sealed class ChromiumBrowser : IDisposable
{
    private ChromiumBrowser(ChromeDriver driver) => Driver = driver;

    public ChromeDriver Driver { get; }

    /// <summary>Starts the browser: Debian's binaries named outright, so Selenium Manager never looks for (or downloads) others.</summary>
    public static ChromiumBrowser Start(int width = 1280, int height = 800)
    {
        Environment.SetEnvironmentVariable("SE_AVOID_STATS", "true");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(RequiresChromiumAttribute.ChromeDriver)!, Path.GetFileName(RequiresChromiumAttribute.ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = RequiresChromiumAttribute.Chromium };
        options.AddArguments(
            "--headless=new", $"--window-size={width},{height}", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--force-color-profile=srgb", "--hide-scrollbars");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        // The window's size includes what headless Chromium keeps of its frame; the page itself gets exactly width x height.
        driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });
        return new ChromiumBrowser(driver);
    }

    public void Open(Uri url) => Driver.Navigate().GoToUrl(url);

    /// <summary>Waits (at most <paramref name="seconds"/>) until <paramref name="condition"/> holds; the message says what was awaited.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, int seconds = 30)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public IWebElement Find(string css, int seconds = 30) =>
        Until(d => d.FindElement(By.CssSelector(css)) is { Displayed: true } e ? e : null, $"element '{css}'", seconds)!;

    /// <summary>Selects the option <paramref name="text"/> of the select <paramref name="css"/>, as a click does (firing its change).</summary>
    public void Choose(string css, string text) =>
        Until(d => d.FindElement(By.CssSelector(css)).FindElements(By.TagName("option")).FirstOrDefault(o => o.Text == text), $"option '{text}' of {css}")!.Click();

    /// <summary>Waits until the graph's node <paramref name="node"/> shows <paramref name="status"/>.</summary>
    public void NodeIs(string node, string status, int seconds = 30) =>
        Until(d => d.FindElement(By.CssSelector($"[data-node='{node}']")).GetAttribute("class")!.Split(' ').Contains("st-" + status),
            $"node '{node}' {status} (its class: {NodeClass(node)})", seconds);

    public string NodeClass(string node)
    {
        try
        {
            return Driver.FindElement(By.CssSelector($"[data-node='{node}']")).GetAttribute("class") ?? "?";
        }
        catch (WebDriverException)
        {
            return "absent";
        }
    }

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>Saves the viewport as <c>docs/console/NAME.png</c>, where docs/console.md shows it.</summary>
    public void Screenshot(string name)
    {
        var dir = Path.Combine(Orchestra.EndToEnd.Tests.Harness.Orchestra.RepositoryRoot, "docs", "console");
        Directory.CreateDirectory(dir);
        Driver.GetScreenshot().SaveAsFile(Path.Combine(dir, name + ".png"));
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
