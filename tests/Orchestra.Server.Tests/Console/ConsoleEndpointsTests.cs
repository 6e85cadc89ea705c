using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestra.Server.Tests.Api;

namespace Orchestra.Server.Tests.Console;

/// <summary>The operator console: its page and assets come from the server assembly, open to all; the API behind them stays protected.</summary>
[Trait("Category", "Integration")]
public sealed partial class ConsoleEndpointsTests
{
    [Fact]
    public async Task Root_WithTokenRequired_ServesThePageWithoutToken_ButTheApiRefusesTheSameClient()
    {
        await using var host = await ApiHost.StartAsync(token: "console-test-token-0123456789abcdef");
        using var anonymous = host.CreateAnonymousClient();

        var page = await anonymous.GetAsync("/");
        var api = await anonymous.GetAsync("/api/deployments");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/console/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Theory]
    [InlineData("/console/app.js", "text/javascript")]
    [InlineData("/console/app.css", "text/css")]
    [InlineData("/console/graph.js", "text/javascript")]
    public async Task Asset_IsServedFromTheAssembly_WithItsContentType(string path, string mediaType)
    {
        await using var host = await ApiHost.StartAsync();
        using var anonymous = host.CreateAnonymousClient();

        var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/console/nothing.js")]
    [InlineData("/console/../Orchestra.Server.dll")]
    [InlineData("/console/%2e%2e%2fappsettings.json")]
    public async Task UnknownAsset_IsNotServed_WithoutTheToken(string path)
    {
        await using var host = await ApiHost.StartAsync(token: "console-test-token-0123456789abcdef");
        using var anonymous = host.CreateAnonymousClient();

        var response = await anonymous.GetAsync(path);

        // 404 for a name the console lacks; 401 for a path that leaves /console/ (the client resolves '..' before sending it).
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Unauthorized });
    }

    [Fact]
    public async Task EveryAsset_CallsNothingOutsideTheNode()
    {
        await using var host = await ApiHost.StartAsync();
        using var anonymous = host.CreateAnonymousClient();
        var names = Directory.GetFiles(SourceAssets()).Select(Path.GetFileName).ToArray();

        Assert.Contains("index.html", names);
        foreach (var name in names)
        {
            var text = await anonymous.GetStringAsync(name == "index.html" ? "/" : "/console/" + name);
            // The SVG namespace is a name, never fetched.
            var external = ExternalUrl().Matches(text.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal));
            Assert.True(external.Count == 0, $"{name} names {string.Join(", ", external.Select(m => m.Value))}");
        }
    }

    [Fact]
    public async Task TemplateList_NamesTheTemplatesOfTheAllowedDirectories()
    {
        await using var host = await ApiHost.StartAsync();
        var hello = host.WriteTemplate("hello.yaml", HelloTemplate);
        Directory.CreateDirectory(Path.Combine(host.Templates, "nested", "scripts"));
        var nested = Path.Combine(host.Templates, "nested", "other.yml");
        await File.WriteAllTextAsync(nested, HelloTemplate);
        await File.WriteAllTextAsync(Path.Combine(host.Templates, "nested", "scripts", "run.sh"), "echo hi\n");

        var list = await host.Client.GetFromJsonAsync<JsonElement>("/api/templates");

        var paths = list.EnumerateArray().Select(t => t.GetProperty("path").GetString()!).ToArray();
        Assert.Equal(new[] { hello, nested }, paths);
        Assert.Equal("nested/other.yml", list[1].GetProperty("name").GetString());
    }

    [Fact]
    public async Task TemplateInputs_GiveTypesDefaultsConstraintsAndTheText()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("hello.yaml", HelloTemplate);

        var answer = await host.Client.GetFromJsonAsync<JsonElement>("/api/templates/inputs?path=" + Uri.EscapeDataString(path));

        Assert.Equal(HelloTemplate, answer.GetProperty("text").GetString());
        var inputs = answer.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
        Assert.True(inputs["greeting"].GetProperty("required").GetBoolean());
        Assert.Equal("integer", inputs["port"].GetProperty("type").GetString());
        Assert.Equal(80, inputs["port"].GetProperty("default").GetInt32());
        Assert.Contains("valid_values", inputs["size"].GetProperty("constraints")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(5, inputs["port"].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task TemplateInputs_OutsideTheAllowedDirectories_Is403()
    {
        await using var host = await ApiHost.StartAsync();

        var response = await host.Client.GetAsync("/api/templates/inputs?path=" + Uri.EscapeDataString("/etc/passwd"));

        await ApiTests.ProblemAsync(response, HttpStatusCode.Forbidden, "urn:orchestra:problem:template-not-allowed");
    }

    [Fact]
    public async Task TemplateInputs_OfAFileLargerThanARequestMayBe_Is413()
    {
        await using var host = await ApiHost.StartAsync(maxBody: 200);
        var path = host.WriteTemplate("hello.yaml", HelloTemplate + new string('#', 300) + "\n");

        var response = await host.Client.GetAsync("/api/templates/inputs?path=" + Uri.EscapeDataString(path));

        await ApiTests.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:orchestra:problem:payload-too-large");
    }

    [Fact]
    public async Task TemplateList_WithoutToken_Is401()
    {
        await using var host = await ApiHost.StartAsync(token: "console-test-token-0123456789abcdef");
        using var anonymous = host.CreateAnonymousClient();

        var response = await anonymous.GetAsync("/api/templates");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private const string HelloTemplate = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          inputs:
            greeting: { type: string }
            port: { type: integer, default: 80 }
            size:
              type: string
              default: small
              constraints:
                - valid_values: [small, large]
          node_templates:
            hello:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  operations:
                    create: orchestra:noop

        """;

    // The files the server embeds, from the source tree: every one of them must be served.
    private static string SourceAssets()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var assets = Path.Combine(dir.FullName, "src", "Orchestra.Server", "Console", "Assets");
            if (File.Exists(Path.Combine(dir.FullName, "Orchestra.sln")))
            {
                return assets;
            }
        }

        throw new InvalidOperationException("Cannot find Orchestra.sln above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"https?://[^\s""'`)]+", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
