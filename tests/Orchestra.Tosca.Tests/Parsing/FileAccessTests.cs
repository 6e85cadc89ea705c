using System.Diagnostics;
using Orchestra.Engine.Files;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Testing;

namespace Orchestra.Tosca.Tests.Parsing;

/// <summary>
/// What the compiler reads and records: only regular files, never more than the limit, and, under a restricted
/// <see cref="ToscaCompilerOptions.FileAccess"/>, only paths whose real location is inside the allowed directories.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FileAccessTests : IDisposable
{
    private const string Secret = "s3cr3t";
    private const string ShadowLike = "root:$6$s3cr3tHash:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n";

    private readonly TemplateFiles _files = new();

    public FileAccessTests()
    {
        Allowed = Directory.CreateDirectory(Path.Combine(_files.Root, "allowed")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(_files.Root, "outside")).FullName;
    }

    public enum Route
    {
        Absolute,
        DotDot,
        SymlinkedFolder,
    }

    private string Allowed { get; }

    private string Outside { get; }

    private ToscaCompilerOptions Restricted => new() { FileAccess = FileAccessPolicy.Within([Allowed], "the test's roots") };

    public void Dispose() => _files.Dispose();

    private static string Importing(string import) => $"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        imports:
          - {import}
        topology_template:
          node_templates:
            only:
              type: tosca.nodes.Root
        """;

    private static string Running(string implementation, string? dependency = null) => $"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            web:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create: {(dependency is null ? implementation : $"{{ implementation: {{ primary: {implementation}, dependencies: [ {dependency} ] }} }}")}
        """;

    // Writes `name` outside the allowed directory; returns how a template in the allowed directory reaches it.
    private string Reach(Route route, string name, string content)
    {
        File.WriteAllText(Path.Combine(Outside, name), content);
        switch (route)
        {
            case Route.Absolute:
                return Path.Combine(Outside, name);
            case Route.DotDot:
                return "../outside/" + name;
            default:
                var link = Path.Combine(Allowed, "shared");
                if (!Directory.Exists(link))
                {
                    Directory.CreateSymbolicLink(link, Outside);
                }

                return "shared/" + name;
        }
    }

    private CompilationResult CompileAllowed(string yaml, ToscaCompilerOptions? options = null) =>
        ToscaCompiler.Compile(_files.Write("allowed/main.yaml", yaml), options: options ?? Restricted);

    private static Diagnostic Single(CompilationResult result, string code)
    {
        Assert.DoesNotContain(result.Diagnostics, d => d.ToDisplayString().Contains(Secret, StringComparison.Ordinal));
        return Assert.Single(result.Diagnostics, d => d.Code == code);
    }

    [Theory]
    [InlineData(Route.Absolute)]
    [InlineData(Route.DotDot)]
    [InlineData(Route.SymlinkedFolder)]
    public void Import_OutsideTheAllowedDirectories_IsTos109AtTheImport_AndNotRead(Route route)
    {
        var import = Reach(route, "shadow", ShadowLike);

        var result = CompileAllowed(Importing(import));

        var error = Single(result, ErrorCodes.PathNotAllowed);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("the test's roots", error.Message, StringComparison.Ordinal);
        Assert.False(result.Success);
    }

    [Fact]
    public void Import_OutsideThatDoesNotExist_IsTos109_NotImportNotFound()
    {
        var result = CompileAllowed(Importing("../outside/none.yaml"));

        Single(result, ErrorCodes.PathNotAllowed);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == ErrorCodes.ImportNotFound);
    }

    [Theory]
    [InlineData(Route.Absolute)]
    [InlineData(Route.DotDot)]
    [InlineData(Route.SymlinkedFolder)]
    public void Implementation_OutsideTheAllowedDirectories_IsTos109AtTheImplementation(Route route)
    {
        var script = Reach(route, "evil.sh", "#!/bin/bash\n");

        var result = CompileAllowed(Running(script));

        Assert.Equal(8, Single(result, ErrorCodes.PathNotAllowed).Location.Line);
        Assert.Null(result.Plan);
    }

    [Fact]
    public void Dependency_OutsideTheAllowedDirectories_IsTos109()
    {
        File.WriteAllText(Path.Combine(Allowed, "ok.sh"), "#!/bin/bash\n");
        var dependency = Reach(Route.DotDot, "secret.env", "X=1\n");

        var result = CompileAllowed(Running("ok.sh", dependency));

        Assert.Contains("dependency", Single(result, ErrorCodes.PathNotAllowed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Artifact_OutsideTheAllowedDirectories_IsTos109AtTheArtifact()
    {
        var file = Reach(Route.Absolute, "key.pem", "-----BEGIN-----\n");

        var result = CompileAllowed($"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  artifacts:
                    key: {file}
            """);

        Assert.Equal(7, Single(result, ErrorCodes.PathNotAllowed).Location.Line);
    }

    [Fact]
    public void MainTemplate_OutsideTheAllowedDirectories_IsTos109()
    {
        var path = Reach(Route.Absolute, "main.yaml", ImportingNothing);

        var result = ToscaCompiler.Compile(path, options: Restricted);

        Single(result, ErrorCodes.PathNotAllowed);
    }

    [Fact]
    public void Content_StandingForAFileOutsideTheAllowedDirectories_IsTos109()
    {
        var result = ToscaCompiler.CompileContent("tosca_definitions_version: tosca_simple_yaml_1_3\n"u8.ToArray(), Path.Combine(Outside, "x.yaml"), options: Restricted);

        Single(result, ErrorCodes.PathNotAllowed);
    }

    [Fact]
    public void PathsThroughALinkInsideTheAllowedDirectories_AreAccepted()
    {
        var real = Directory.CreateDirectory(Path.Combine(Allowed, "real")).FullName;
        File.WriteAllText(Path.Combine(real, "types.yaml"), "tosca_definitions_version: tosca_simple_yaml_1_3\n");
        File.WriteAllText(Path.Combine(real, "ok.sh"), "#!/bin/bash\n");
        Directory.CreateSymbolicLink(Path.Combine(Allowed, "alias"), real);

        var result = CompileAllowed(Running("alias/ok.sh").Replace("topology_template:", "imports: [ alias/types.yaml ]\ntopology_template:", StringComparison.Ordinal));

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Unrestricted_FollowsPathsOutsideTheTemplateDirectory_AsTheCliDoes()
    {
        File.WriteAllText(Path.Combine(Outside, "types.yaml"), "tosca_definitions_version: tosca_simple_yaml_1_3\n");
        var script = Reach(Route.Absolute, "run.sh", "#!/bin/bash\n");

        var result = CompileAllowed(Running(script).Replace("topology_template:", "imports: [ ../outside/types.yaml ]\ntopology_template:", StringComparison.Ordinal), ToscaCompilerOptions.Default);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(script, result.Plan!.Nodes[0].Operations[0].Implementation);
    }

    [Fact]
    public void Import_OfDevZero_IsRefusedAsNotARegularFile_WithBoundedMemory()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var result = _files.Compile(Importing("/dev/zero"));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var error = Single(result, ErrorCodes.FileUnreadable);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("not a regular file (a character device)", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64L * 1024 * 1024, $"compiling allocated {allocated} bytes");
    }

    [Fact]
    public async Task Import_OfAFifo_IsRefusedWithoutBlocking()
    {
        using var fifo = await Fifo.CreateAsync(Path.Combine(_files.Root, "pipe.yaml"));

        var result = await Task.Run(() => _files.Compile(Importing("pipe.yaml"))).WaitAsync(TimeSpan.FromSeconds(20));

        var error = Single(result, ErrorCodes.FileUnreadable);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("not a regular file (a FIFO (named pipe))", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MainTemplate_ThatIsAFifo_IsRefusedWithoutBlocking()
    {
        using var fifo = await Fifo.CreateAsync(Path.Combine(_files.Root, "main.yaml"));

        var result = await Task.Run(() => ToscaCompiler.Compile(fifo.Path)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("not a regular file", Single(result, ErrorCodes.FileUnreadable).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OfAProcFileLongerThanTheLimit_IsTooLarge_ThoughItReportsZeroBytes()
    {
        var result = _files.Compile(Importing("/proc/self/maps"), options: new ToscaCompilerOptions { MaxFileBytes = 100 });

        Assert.Contains("more than the limit of 100 bytes", Single(result, ErrorCodes.FileTooLarge).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OfAYamlMapThatIsNotTosca_IsRefused_WithoutQuotingIt()
    {
        File.WriteAllText(Path.Combine(_files.Root, "shadow"), ShadowLike + ShadowLike);

        var result = _files.Compile(Importing("shadow"));

        var error = Single(result, ErrorCodes.NotToscaDocument);
        Assert.Equal(3, error.Location.Line);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is ErrorCodes.UnknownKey or ErrorCodes.DuplicateKey);
    }

    [Fact]
    public void MainTemplate_ThatIsAPlainTextFile_IsRefused_WithoutQuotingIt()
    {
        var path = _files.Write("notes.yaml", "the password is s3cr3t\n");

        var result = ToscaCompiler.Compile(path);

        Assert.Contains("not a string", Single(result, ErrorCodes.NotToscaDocument).Message, StringComparison.Ordinal);
    }

    private const string ImportingNothing = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
}
