using Orchestra.Console.Tests.Browser;
using Orchestra.EndToEnd.Tests.Harness;

namespace Orchestra.Console.Tests;

/// <summary>
/// One test's world: a real <c>orchestra serve</c> (its generated token, the default) whose allowed directory holds the test's
/// templates, and a headless Chromium signed in to its console through the sign-in form.
/// </summary>
public sealed class ConsoleFixture : IAsyncDisposable
{
    private ConsoleFixture(TempDirectory dir, GatedTemplate gated, ServerProcess server, ChromiumBrowser browser)
    {
        Dir = dir;
        Gated = gated;
        Server = server;
        Browser = browser;
    }

    public TempDirectory Dir { get; }

    /// <summary>a -&gt; b, each create waiting for the test's <see cref="GatedTemplate.Release"/>.</summary>
    public GatedTemplate Gated { get; }

    public ServerProcess Server { get; }

    public ChromiumBrowser Browser { get; }

    public string Templates => Path.Combine(Dir.Path, "templates");

    public static async Task<ConsoleFixture> StartAsync(bool signIn = true, string? token = null)
    {
        var dir = new TempDirectory();
        var gated = new GatedTemplate(dir);
        WriteTemplates(dir);
        var server = await ServerProcess.StartAsync(dir, Path.Combine(dir.Path, "templates"), token);
        var browser = ChromiumBrowser.Start();
        var fixture = new ConsoleFixture(dir, gated, server, browser);
        if (signIn)
        {
            fixture.SignIn(server.Token!);
            browser.Find("#rows");
        }

        return fixture;
    }

    public void SignIn(string token)
    {
        Browser.Open(Server.BaseAddress);
        Browser.Find("#token").SendKeys(token);
        Browser.Find("#signin-submit").Click();
    }

    public void Open(string hash) => Browser.Open(new Uri(Server.BaseAddress, "/" + hash));

    /// <summary>Submits through the API (the form has its own tests) and waits until the server has journaled it.</summary>
    public async Task SubmitAsync(string template, string id, string onFailure = "halt")
    {
        using var response = await Server.Http.PostAsync("api/deployments", System.Net.Http.Json.JsonContent.Create(new
        {
            id, templatePath = Path.Combine(Templates, template), onFailure,
        }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<System.Text.Json.JsonElement> StatusIsAsync(string id, params string[] statuses) =>
        Server.WaitForDeploymentAsync(id, v => statuses.Contains(v.GetProperty("status").GetString()), TimeSpan.FromSeconds(60));

    private static void WriteTemplates(TempDirectory dir)
    {
        var testDir = $"{{ TEST_DIR: \"{dir.Path}\" }}";
        dir.Write("templates/scripts/fail.sh", """
            #!/usr/bin/env bash
            echo "starting app"
            echo "app: port 8080 in use" >&2
            exit 3
            """);
        dir.Write("templates/failing.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                network:
                  type: tosca.nodes.Root
                  interfaces: { Standard: { operations: { create: orchestra:noop } } }
                app:
                  type: tosca.nodes.Root
                  requirements:
                    - dependency: network
                  interfaces: { Standard: { operations: { create: scripts/fail.sh } } }
            """);
        dir.Write("templates/scripts/until-fixed.sh", """
            #!/usr/bin/env bash
            if [ ! -e "$TEST_DIR/fixed" ]; then echo "app: not fixed yet" >&2; exit 1; fi
            echo "app: fixed"
            """);
        dir.Write("templates/fixable.yaml", $"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                app:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      operations:
                        create:
                          implementation: scripts/until-fixed.sh
                          inputs: {testDir}
            """);
        dir.Write("templates/inputs.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              inputs:
                greeting: { type: string, description: What the node says. }
                port: { type: integer, default: 80 }
                size:
                  type: string
                  default: large
                  constraints:
                    - valid_values: [small, large]
                verbose: { type: boolean, default: false }
              node_templates:
                hello:
                  type: tosca.nodes.Root
                  interfaces: { Standard: { operations: { create: orchestra:noop } } }
              outputs:
                greeting: { value: { get_input: greeting } }
            """);
        dir.Write("templates/broken.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                db:
                  type: tosca.nodes.NoSuchType
            """);
    }

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        await Server.DisposeAsync();
        Dir.Dispose();
    }
}
