using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestra.Testing;

namespace Orchestra.Server.Tests.Api;

/// <summary>
/// Attacks on the paths a template uses, sent as HTTP requests: a template may reach only the files inside the
/// server's allowed directories (links resolved), and no diagnostic quotes a file that is not a template.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TemplatePathAttackTests
{
    // Lines end with ':' so YAML reads each as a map key, which is how /etc/shadow's hashes came back in TOS103 messages.
    private const string ShadowLike = "root:$6$s3cr3tHash:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n";
    private const string Secret = "s3cr3t";

    public enum Route
    {
        Absolute,
        DotDot,
        SymlinkedFolder,
    }

    private static string Importing(string import) => $"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        imports:
          - {import}
        topology_template:
          node_templates:
            only:
              type: tosca.nodes.Root
        """;

    private static string Running(string implementation) => $"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            web:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create: {implementation}
        """;

    // A directory beside the allowed one holding `name`, and the path to it that a template in the allowed directory writes.
    private static string Outside(ApiHost host, Route route, string name, string content)
    {
        var outside = Directory.CreateDirectory(Path.Combine(host.Root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, name), content);
        switch (route)
        {
            case Route.Absolute:
                return Path.Combine(outside, name);
            case Route.DotDot:
                return "../outside/" + name;
            default:
                var link = Path.Combine(host.Templates, "shared");
                if (!Directory.Exists(link))
                {
                    Directory.CreateSymbolicLink(link, outside);
                }

                return "shared/" + name;
        }
    }

    private static async Task<JsonElement> PlanAsync(ApiHost host, object body, HttpStatusCode status = HttpStatusCode.UnprocessableEntity)
    {
        var response = await host.Client.PostAsJsonAsync("/api/templates/plan", body).WaitAsync(TimeSpan.FromSeconds(20));
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        return status == HttpStatusCode.OK
            ? JsonDocument.Parse(text).RootElement
            : await ApiTests.ProblemAsync(response, status, "urn:orchestra:problem:invalid-template");
    }

    private static JsonElement Error(JsonElement problem, string code) =>
        problem.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("code").GetString() == code);

    [Theory]
    [InlineData(Route.Absolute)]
    [InlineData(Route.DotDot)]
    [InlineData(Route.SymlinkedFolder)]
    public async Task Plan_InlineImportOutsideAllowedDirectories_Is422_AndDoesNotQuoteTheFile(Route route)
    {
        await using var host = await ApiHost.StartAsync();
        var import = Outside(host, route, "shadow", ShadowLike);

        var problem = await PlanAsync(host, new { template = Importing(import), baseDirectory = host.Templates });

        var error = Error(problem, "TOS109");
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Contains("outside", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_InlineImportOfEtcShadowByDotDot_Is422_AndDoesNotReadIt()
    {
        await using var host = await ApiHost.StartAsync();
        var climb = string.Concat(Enumerable.Repeat("../", host.Templates.Count(c => c == '/')));

        var problem = await PlanAsync(host, new { template = Importing(climb + "etc/shadow"), baseDirectory = host.Templates });

        Error(problem, "TOS109");
        Assert.DoesNotContain("root:", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_InlineImportOfMissingFileOutside_SaysOutside_NotWhetherItExists()
    {
        await using var host = await ApiHost.StartAsync();

        var problem = await PlanAsync(host, new { template = Importing("/nonexistent/orchestra/x.yaml"), baseDirectory = host.Templates });

        Error(problem, "TOS109");
        Assert.DoesNotContain(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "TOS106");
    }

    [Theory]
    [InlineData(Route.Absolute)]
    [InlineData(Route.DotDot)]
    [InlineData(Route.SymlinkedFolder)]
    public async Task Plan_InlineImplementationOutsideAllowedDirectories_Is422AtTheImplementation(Route route)
    {
        await using var host = await ApiHost.StartAsync();
        var script = Outside(host, route, "evil.sh", "#!/bin/bash\ntouch \"$0.ran\"\n");

        var problem = await PlanAsync(host, new { template = Running(script), baseDirectory = host.Templates });

        var error = Error(problem, "TOS109");
        Assert.Equal(8, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Submit_InlineImplementationOutsideAllowedDirectories_Is422_AndRunsNothing()
    {
        await using var host = await ApiHost.StartAsync();
        var script = Outside(host, Route.Absolute, "evil.sh", "#!/bin/bash\ntouch \"$0.ran\"\n");

        var response = await host.Client.PostAsJsonAsync("/api/deployments", new { id = "evil", template = Running(script), baseDirectory = host.Templates });

        await ApiTests.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:orchestra:problem:invalid-template");
        var deployments = await host.Client.GetFromJsonAsync<JsonElement>("/api/deployments");
        Assert.Equal(0, deployments.GetArrayLength());
    }

    [Fact]
    public async Task Plan_InlineImportAndImplementationThroughLinkInsideAllowedDirectories_Is200()
    {
        await using var host = await ApiHost.StartAsync();
        var real = Directory.CreateDirectory(Path.Combine(host.Templates, "real")).FullName;
        File.WriteAllText(Path.Combine(real, "types.yaml"), "tosca_definitions_version: tosca_simple_yaml_1_3\n");
        File.WriteAllText(Path.Combine(real, "ok.sh"), "#!/bin/bash\n");
        Directory.CreateSymbolicLink(Path.Combine(host.Templates, "alias"), real);
        var template = Running("alias/ok.sh").Replace("topology_template:", "imports:\n  - alias/types.yaml\ntopology_template:", StringComparison.Ordinal);

        var body = await PlanAsync(host, new { template, baseDirectory = host.Templates }, HttpStatusCode.OK);

        Assert.Equal(1, body.GetProperty("plan").GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task Plan_TemplatePathToNonTemplateFile_Is422_AndDoesNotQuoteIt()
    {
        await using var host = await ApiHost.StartAsync();
        var path = host.WriteTemplate("passwords.yaml", ShadowLike);

        var problem = await PlanAsync(host, new { templatePath = path });

        Assert.NotEmpty(problem.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Plan_InlineImportOfDevZero_Is422Quickly_WithBoundedMemory()
    {
        await using var host = await ApiHost.StartAsync();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var problem = await PlanAsync(host, new { template = Importing("/dev/zero"), baseDirectory = host.Templates });

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(3, Error(problem, "TOS109").GetProperty("line").GetInt32());
        Assert.True(allocated < 256L * 1024 * 1024, $"planning allocated {allocated} bytes");
    }

    [Fact]
    public async Task Plan_InlineImportOfFifoInAllowedFolder_Is422Quickly_AndHealthzStaysFast()
    {
        await using var host = await ApiHost.StartAsync();
        using var fifo = await Fifo.CreateAsync(Path.Combine(host.Templates, "pipe.yaml"));

        var problem = await PlanAsync(host, new { template = Importing("pipe.yaml"), baseDirectory = host.Templates });
        var health = await host.Client.GetAsync("/healthz").WaitAsync(TimeSpan.FromSeconds(5));

        var error = Error(problem, "TOS001");
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Contains("not a regular file", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Plan_TemplatePathThatIsAFifo_Is422Quickly()
    {
        await using var host = await ApiHost.StartAsync();
        using var fifo = await Fifo.CreateAsync(Path.Combine(host.Templates, "pipe.yaml"));

        var problem = await PlanAsync(host, new { templatePath = fifo.Path });

        Assert.Contains("not a regular file", Error(problem, "TOS001").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
