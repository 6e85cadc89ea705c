using OpenQA.Selenium;
using Orchestra.Console.Tests.Browser;
using Orchestra.Testing;

namespace Orchestra.Console.Tests;

/// <summary>The operator console in a real headless Chromium against a real <c>orchestra serve</c>: what an operator does with it.</summary>
[Trait("Category", "Integration")]
[RequiresChromium]
public sealed class ConsoleTests
{
    [ConditionalFact]
    public async Task Submit_ThroughTheForm_RunsAndTheGraphTurnsGreenNodeByNode()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        world.Open("#/submit");

        browser.Choose("#template", "gated.yaml");
        browser.Until(d => d.FindElement(By.Id("inputs")).Text.Contains("no inputs", StringComparison.Ordinal), "the inputs of gated.yaml");
        browser.Find("#name").SendKeys("form-gated");
        browser.Find("#deploy").Click();

        browser.Until(d => d.Url.EndsWith("#/d/form-gated", StringComparison.Ordinal), "the deployment's page");
        browser.NodeIs("a", "Deploying");
        Assert.Contains("st-Waiting", browser.NodeClass("b"), StringComparison.Ordinal);
        world.Gated.Release("a");
        browser.NodeIs("a", "Deployed");
        browser.NodeIs("b", "Deploying");
        browser.Find("[data-node='b']").Click();
        browser.Until(d => d.FindElement(By.Id("node-panel")).Text.Contains("Standard.create", StringComparison.Ordinal), "b's operations");
        Assert.DoesNotContain("null", browser.Find("#node-panel").Text, StringComparison.Ordinal);
        browser.Screenshot("deployment-running");
        world.Gated.Release("b");
        browser.NodeIs("b", "Deployed");
        browser.Until(d => d.FindElement(By.Id("status")).Text == "Succeeded", "the status badge Succeeded");
        Assert.Equal("Succeeded", (await world.StatusIsAsync("form-gated", "Succeeded")).GetProperty("status").GetString());

        browser.Find("#tab-history").Click();
        browser.Until(d => d.FindElements(By.CssSelector("#history li")).Count >= 5, "the history timeline");
        Assert.Contains("deployment-submitted", browser.Find("#history").Text, StringComparison.Ordinal);
        browser.Screenshot("history");
        world.Open("#/");
        browser.Until(d => d.FindElements(By.CssSelector("#rows [data-id='form-gated']")).Count == 1, "the list row");
        Assert.Contains("2/2", browser.Find("#rows [data-id='form-gated']").Text, StringComparison.Ordinal);
        browser.Screenshot("list");
    }

    [ConditionalFact]
    public async Task Submit_FormFollowsTheInputDefinitions_AndShowsValidationErrorsAtTheirLine()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        world.Open("#/submit");

        browser.Choose("#template", "inputs.yaml");
        var greeting = browser.Find("#input-greeting");
        Assert.Equal("text", greeting.GetAttribute("type"));
        Assert.NotNull(greeting.GetAttribute("required"));
        Assert.Equal("80", browser.Find("#input-port").GetAttribute("value"));
        Assert.Equal("number", browser.Find("#input-port").GetAttribute("type"));
        var size = browser.Find("#input-size").FindElements(By.TagName("option"));
        Assert.Equal(["small", "large"], size.Select(o => o.Text));
        Assert.Equal("large", size.Single(o => o.Selected).Text);
        Assert.Equal("checkbox", browser.Find("#input-verbose").GetAttribute("type"));

        browser.Find("#validate").Click();
        browser.Until(d => d.FindElement(By.Id("problems")).Text.Contains("greeting", StringComparison.Ordinal), "the missing input refused");

        browser.Choose("#template", "broken.yaml");
        browser.Find("#source li");
        browser.Find("#validate").Click();
        var line = browser.Find("#line-7.has-error");
        Assert.Contains("TOS201", line.Text, StringComparison.Ordinal);
        Assert.Contains("line 7", browser.Find("#problems").Text, StringComparison.Ordinal);
        browser.Screenshot("submit-error");

        browser.Choose("#template", "inputs.yaml");
        browser.Find("#input-greeting").SendKeys("Hi from the form");
        browser.Choose("#input-size", "small");
        browser.Find("#deploy").Click();
        browser.Until(d => d.Url.EndsWith("#/d/inputs", StringComparison.Ordinal), "the deployment's page");
        var view = await world.StatusIsAsync("inputs", "Succeeded");
        Assert.Equal("Hi from the form", view.GetProperty("outputs").GetProperty("greeting").GetString());
        Assert.Equal("small", view.GetProperty("options").GetProperty("inputs").GetProperty("size").GetString());
        browser.Find("#tab-outputs").Click();
        Assert.Contains("Hi from the form", browser.Find("#outputs").Text, StringComparison.Ordinal);
    }

    [ConditionalFact]
    public async Task FailingDeployment_ShowsTheErrorAndItsStderr()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        await world.SubmitAsync("failing.yaml", "failing");
        world.Open("#/d/failing");

        browser.NodeIs("app", "Failed");
        browser.NodeIs("network", "Deployed");
        browser.Find("[data-node='app']").Click();

        var attempts = browser.Find("#attempts");
        browser.Until(d => d.FindElement(By.Id("attempts")).Text.Contains("exit code 3", StringComparison.Ordinal), "the attempt's error");
        Assert.Contains("app: port 8080 in use", browser.Find("#attempts .tail.stderr pre").Text, StringComparison.Ordinal);
        Assert.Contains("starting app", browser.Find("#attempts .tail.stdout pre").Text, StringComparison.Ordinal);
        Assert.Equal("Halted", browser.Find("#status").Text);
        Assert.NotNull(attempts);
        browser.Screenshot("failure");
    }

    [ConditionalFact]
    public async Task DarkSchemeAndNarrowWindow_KeepTheDeploymentReadable()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        await world.SubmitAsync("failing.yaml", "failing");
        browser.Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?>
        {
            ["features"] = new[] { new Dictionary<string, object?> { ["name"] = "prefers-color-scheme", ["value"] = "dark" } },
        });
        world.Open("#/d/failing");
        browser.NodeIs("app", "Failed");
        browser.Find("[data-node='app']").Click();
        browser.Find("#attempts .tail.stderr pre");

        Assert.Equal("rgb(17, 20, 24)", browser.Script("return getComputedStyle(document.body).backgroundColor;"));
        browser.Screenshot("failure-dark");

        browser.Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = 480, ["height"] = 900, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });
        browser.NodeIs("app", "Failed");
        Assert.True((bool)browser.Script("return document.documentElement.scrollWidth <= window.innerWidth;")!, "the page scrolls sideways at 480 px");
        Assert.True((bool)browser.Script(
            "return document.getElementById('node-panel').getBoundingClientRect().top >= document.querySelector('.graph-box').getBoundingClientRect().bottom;")!,
            "the node panel should come below the graph on a narrow window");
        world.Open("#/");
        browser.Find("#rows [data-id='failing']");
        Assert.True((bool)browser.Script("return document.documentElement.scrollWidth <= window.innerWidth;")!, "the list scrolls sideways at 480 px");
    }

    [ConditionalFact]
    public async Task PauseResumeAndUndeploy_FromThePage_TakeEffect()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        await world.SubmitAsync("gated.yaml", "steered");
        world.Open("#/d/steered");
        browser.NodeIs("a", "Deploying");

        browser.Find("#action-pause").Click();
        await world.StatusIsAsync("steered", "Pausing", "Paused");
        world.Gated.Release("a");
        await world.StatusIsAsync("steered", "Paused");
        browser.Until(d => d.FindElement(By.Id("status")).Text == "Paused", "the page showing Paused");
        Assert.Contains("st-Waiting", browser.NodeClass("b"), StringComparison.Ordinal);

        browser.Find("#action-resume").Click();
        browser.NodeIs("b", "Deploying");
        world.Gated.Release("b");
        await world.StatusIsAsync("steered", "Succeeded");
        browser.Until(d => d.FindElement(By.Id("status")).Text == "Succeeded", "the page showing Succeeded");

        browser.Find("#action-undeploy").Click();
        browser.Until(d => d.SwitchTo().Alert(), "the confirmation").Accept();
        await world.StatusIsAsync("steered", "Undeployed");
        browser.Until(d => d.FindElement(By.Id("status")).Text == "Undeployed", "the page showing Undeployed");
        browser.NodeIs("a", "TornDown");
    }

    [ConditionalFact]
    public async Task Cancel_FromThePage_AsksFirst_ThenTakesEffect()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        await world.SubmitAsync("gated.yaml", "cancelled");
        world.Open("#/d/cancelled");
        browser.NodeIs("a", "Deploying");

        browser.Find("#action-cancel").Click();
        var question = browser.Until(d => d.SwitchTo().Alert(), "the confirmation");
        Assert.Contains("Cancel 'cancelled'?", question.Text, StringComparison.Ordinal);
        question.Dismiss();
        Assert.Equal("Running", (await world.StatusIsAsync("cancelled", "Running")).GetProperty("status").GetString());

        browser.Find("#action-cancel").Click();
        browser.Until(d => d.SwitchTo().Alert(), "the confirmation").Accept();
        await world.StatusIsAsync("cancelled", "Cancelled");
        browser.Until(d => d.FindElement(By.Id("status")).Text == "Cancelled", "the page showing Cancelled");
    }

    [ConditionalFact]
    public async Task Retry_FromThePage_RerunsTheFailedOperation()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        await world.SubmitAsync("fixable.yaml", "fixable");
        world.Open("#/d/fixable");
        browser.NodeIs("app", "Failed");
        browser.Until(d => d.FindElement(By.Id("status")).Text == "Halted", "the page showing Halted");

        await File.WriteAllTextAsync(Path.Combine(world.Dir.Path, "fixed"), string.Empty);
        browser.Find("#action-retry").Click();

        await world.StatusIsAsync("fixable", "Succeeded");
        browser.NodeIs("app", "Deployed");
    }

    [ConditionalFact]
    public async Task WithToken_SignInIsRequired_AndTheApiRefusesThePageWithoutIt()
    {
        await using var world = await ConsoleFixture.StartAsync(signIn: false);
        var browser = world.Browser;
        browser.Open(world.Server.BaseAddress);

        browser.Find("#token");
        var status = browser.Driver.ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1]; fetch('/api/deployments').then(r => done(r.status), e => done(String(e)));");
        Assert.Equal(401L, status);
        browser.Screenshot("signin");

        world.SignIn("not-the-token");
        browser.Until(d => d.FindElement(By.Id("signin-error")).Text.Contains("refused", StringComparison.Ordinal), "the refusal");
        Assert.Null(browser.Script("return sessionStorage.getItem('orchestra.token');"));

        world.SignIn(world.Server.Token!);
        browser.Find("#rows");
        Assert.Equal(world.Server.Token, browser.Script("return sessionStorage.getItem('orchestra.token');"));
        Assert.Equal(0L, browser.Script("return localStorage.length;"));
        Assert.DoesNotContain(world.Server.Token!, (string)browser.Script("return document.cookie;")!, StringComparison.Ordinal);
    }
}
