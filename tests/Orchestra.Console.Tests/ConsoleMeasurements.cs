using System.Globalization;
using System.Text;
using OpenQA.Selenium;
using Orchestra.Console.Tests.Browser;
using Orchestra.Testing;
using Xunit.Abstractions;

namespace Orchestra.Console.Tests;

/// <summary>
/// The console at scale: a 10,000-deployment list and a 1,000-node graph render and respond. The times (performance.now() in the
/// page, read through Selenium) are printed for docs/console.md; what is asserted is that the page keeps the DOM small (the list is
/// virtualised) and shows everything, not a time: performance goals are not timed tests.
/// </summary>
[Trait("Category", "Integration")]
[RequiresChromium]
public sealed class ConsoleMeasurements(ITestOutputHelper output)
{
    private const int Deployments = 10_000;
    private const int Layers = 20;
    private const int PerLayer = 50;

    // Submitting 10,000 real deployments takes minutes here (~25/s on 2 cores), so the page's one call for the list is answered in
    // the browser with 10,000 summaries shaped as the server writes them; everything else on the page is real.
    private const string TenThousandSummaries = """
        const original = window.fetch;
        const statuses = ['Succeeded', 'Running', 'Halted', 'Paused', 'RolledBack', 'Undeployed'];
        const start = Date.parse('2026-01-01T00:00:00Z');
        const rows = Array.from({ length: 10000 }, (_, i) => ({
          deploymentId: 'd-' + String(i).padStart(5, '0'), planName: 'plan-' + (i % 37), status: statuses[i % statuses.length],
          statusReason: 'measured', submittedAt: new Date(start + i * 60000).toISOString(), updatedAt: new Date(start + i * 60000 + 5000 + i).toISOString(),
          operations: 12, succeeded: i % 13, failed: i % 7 === 0 ? 1 : 0, running: 0, run: 1 }));
        window.fetch = (input, init) => String(input) === '/api/deployments'
          ? Promise.resolve(new Response(JSON.stringify(rows), { headers: { 'Content-Type': 'application/json' } }))
          : original(input, init);
        """;

    private const string NextFrame = "await new Promise(r => requestAnimationFrame(() => setTimeout(r)));";

    [ConditionalFact]
    public async Task TenThousandDeploymentList_RendersAndResponds_WithAFewDozenRowsInTheDom()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        browser.Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = TenThousandSummaries });
        browser.Open(world.Server.BaseAddress);
        browser.Find("#rows .row");

        var rendered = Measure("return performance.getEntriesByName('orchestra:list-rendered')[0].startTime;", browser);
        Assert.Equal($"{Deployments} of {Deployments}", browser.Find("#count").Text);
        var painted = Convert.ToInt32(browser.Script("return document.querySelectorAll('#rows .row').length;"), CultureInfo.InvariantCulture);
        Assert.InRange(painted, 1, 100);
        var search = Async(browser, """
            const box = document.getElementById('search'); const t = performance.now();
            box.value = 'd-0999'; box.dispatchEvent(new Event('input'));
            """);
        Assert.Equal($"10 of {Deployments}", browser.Find("#count").Text);
        Async(browser, "const box = document.getElementById('search'); box.value = ''; box.dispatchEvent(new Event('input')); const t = performance.now();");
        var sort = Async(browser, "const t = performance.now(); document.querySelector('[data-key=\"deploymentId\"]').click();");
        var filter = Async(browser, """
            const t = performance.now(); const s = document.getElementById('status-filter'); s.value = 'Halted'; s.dispatchEvent(new Event('change'));
            """);
        Assert.Equal($"{Deployments / 6 + 1} of {Deployments}", browser.Find("#count").Text);
        var scroll = Async(browser, "const t = performance.now(); const v = document.getElementById('rows'); v.scrollTop = v.scrollHeight / 2; v.dispatchEvent(new Event('scroll'));");
        Assert.InRange(Convert.ToInt32(browser.Script("return document.querySelectorAll('#rows .row').length;"), CultureInfo.InvariantCulture), 1, 100);
        Report($"10,000-deployment list: first render {rendered:F0} ms after navigation start (page load, modules, 10,000 summaries parsed, sorted, painted); " +
            $"search {search:F1} ms, sort {sort:F1} ms, status filter {filter:F1} ms, scroll to the middle {scroll:F1} ms (each to the next frame); {painted} rows in the DOM");
    }

    [ConditionalFact]
    public async Task ThousandNodeGraph_RendersAndResponds()
    {
        await using var world = await ConsoleFixture.StartAsync();
        var browser = world.Browser;
        world.Dir.Write("templates/big.yaml", BigTemplate());
        await world.SubmitAsync("big.yaml", "big");
        await world.StatusIsAsync("big", "Succeeded");

        world.Open("#/d/big");
        browser.Driver.Navigate().Refresh(); // a fresh document, so that its clock starts at this page's navigation
        browser.Find("[data-node='n19-49']");
        var opened = Measure("return performance.getEntriesByName('orchestra:graph-rendered')[0].startTime - performance.getEntriesByName('orchestra:deployment-open')[0].startTime;", browser);
        var rendered = Measure("return performance.getEntriesByName('orchestra:graph-rendered')[0].startTime;", browser);
        Assert.Equal(Layers * PerLayer, Convert.ToInt32(browser.Script("return document.querySelectorAll('[data-node]').length;"), CultureInfo.InvariantCulture));
        Assert.Equal(Layers * PerLayer, Convert.ToInt32(browser.Script("return document.querySelectorAll('.node.st-Deployed').length;"), CultureInfo.InvariantCulture));
        var zoom = Async(browser, "const t = performance.now(); const g = document.getElementById('graph'); for (let i = 0; i < 10; i++) { g.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: 400, clientY: 400, cancelable: true })); " + NextFrame + " }") / 10;
        var pan = Async(browser, "const t = performance.now(); const g = document.getElementById('graph'); for (let i = 0; i < 10; i++) { g.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })); " + NextFrame + " }") / 10;
        var fetched = Measure("return performance.getEntriesByType('resource').find(e => e.name.endsWith('/api/deployments/big')).duration;", browser);
        var select = Async(browser, "const t = performance.now(); document.querySelector(\"[data-node='n10-25']\").dispatchEvent(new MouseEvent('click', { bubbles: true }));");
        browser.Until(d => d.FindElement(By.Id("node-panel")).Text.Contains("n10-25", StringComparison.Ordinal), "the selected node's panel");
        browser.Find("button[aria-label='Zoom out']");
        Async(browser, "const t = performance.now(); [...document.querySelectorAll('.graph-tools button')].find(b => b.textContent === 'Fit').click();");
        browser.Screenshot("graph-1000");
        Report($"1,000-node graph (20 layers of 50, 1,950 edges): first render {rendered:F0} ms after navigation start, {opened:F0} ms of it in the deployment view " +
            $"(the view's fetch {fetched:F0} ms, then laid out, drawn); " +
            $"a zoom step {zoom:F1} ms, a pan step {pan:F1} ms (mean of 10, each to its next frame), selecting a node {select:F1} ms");
    }

    private static double Measure(string script, ChromiumBrowser browser) =>
        Convert.ToDouble(browser.Script(script), CultureInfo.InvariantCulture);

    // Runs 'body' (which sets t = performance.now() before it acts) and returns the milliseconds until the next frame after it.
    private static double Async(ChromiumBrowser browser, string body) =>
        Convert.ToDouble(browser.Driver.ExecuteAsyncScript(
            $"const done = arguments[arguments.length - 1]; (async () => {{ {body} {NextFrame} return performance.now() - t; }})().then(done, e => done(String(e)));"),
            CultureInfo.InvariantCulture);

    private void Report(string line) => output.WriteLine(line);

    private static string BigTemplate()
    {
        var yaml = new StringBuilder("tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n");
        for (var layer = 0; layer < Layers; layer++)
        {
            for (var i = 0; i < PerLayer; i++)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    n{layer}-{i}:\n      type: tosca.nodes.Root\n");
                if (layer > 0)
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"      requirements:\n        - dependency: n{layer - 1}-{i}\n");
                    if (i + 1 < PerLayer)
                    {
                        yaml.Append(CultureInfo.InvariantCulture, $"        - dependency: n{layer - 1}-{i + 1}\n");
                    }
                }

                yaml.Append("      interfaces: { Standard: { operations: { create: orchestra:noop } } }\n");
            }
        }

        return yaml.ToString();
    }
}
