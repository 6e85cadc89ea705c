using Orchestra.Engine.Files;
using Orchestra.Testing;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>
/// An operation whose implementation would certainly fail when it runs is a located error at compile time: a missing file
/// (TOS609), a path that is not a readable regular file (TOS610), or a kind no executor runs (TOS611).
/// </summary>
[Trait("Category", "Unit")]
public sealed class ImplementationCheckTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    // Line 8, column 19 is the implementation's value.
    private static string Creating(string implementation) => $"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            web:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create: {implementation}
        """;

    private void Script(string name, string content = "#!/bin/bash\necho ok\n", UnixFileMode? mode = null)
    {
        var path = _files.Write(name, content);
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, m);
        }
    }

    private static Diagnostic SingleError(CompilationResult result, string code)
    {
        var report = string.Join("\n", result.Diagnostics);
        Assert.Null(result.Plan);
        var error = Assert.Single(result.Errors);
        Assert.True(error.Code == code, report);
        return error;
    }

    [Fact]
    public void MissingImplementationFile_IsTos609AtItsValue_SayingWhereItLooked()
    {
        var result = _files.Compile(Creating("scripts/create.sh"));

        var error = SingleError(result, ErrorCodes.ImplementationNotFound);
        Assert.Equal((8, 19), (error.Location.Line, error.Location.Column));
        Assert.Contains("'scripts/create.sh'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_files.Root, "scripts", "create.sh"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Standard.create", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPrimaryOfTheLongForm_IsTos609AtThePrimary()
    {
        var result = _files.Compile(Creating("\n            implementation:\n              primary: scripts/create.sh\n              timeout: 10"));

        var error = SingleError(result, ErrorCodes.ImplementationNotFound);
        Assert.Equal((10, 24), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void ExistingScripts_OfEachKindThatRuns_Compile()
    {
        Script("scripts/a.sh", mode: UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Script("scripts/b.py", "print('ok')\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Script("scripts/c", mode: UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = _files.Compile(Creating("scripts/a.sh") + """

                      configure: scripts/b.py
                      start: scripts/c
                      stop: orchestra:noop
                      delete: { implementation: orchestra:sleep, inputs: { seconds: 0 } }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void ImplementationThatIsADirectory_IsTos610()
    {
        Directory.CreateDirectory(Path.Combine(_files.Root, "scripts", "create.sh"));

        var error = SingleError(_files.Compile(Creating("scripts/create.sh")), ErrorCodes.ImplementationNotReadable);

        Assert.Contains("directory", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Location.Line);
    }

    [Fact]
    public async Task ImplementationThatIsAFifo_IsTos610_WithoutBlockingOnIt()
    {
        using var fifo = await Fifo.CreateAsync(Path.Combine(_files.Root, "create.sh"));

        var error = SingleError(_files.Compile(Creating("create.sh")), ErrorCodes.ImplementationNotReadable);

        Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("playbooks/site.yml")]
    [InlineData("playbooks/site.yaml")]
    public void AnsiblePlaybook_Compiles(string playbook)
    {
        Script(playbook, "- hosts: all\n  tasks: []\n- import_playbook: other.yml\n");

        var result = _files.Compile(Creating(playbook));

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(playbook, result.Plan!.Nodes.Single().Operations.Single().Implementation);
    }

    [Theory]
    [InlineData("vars: { a: 1 }\n", "not a list of plays")]
    [InlineData("- name: a task file\n  debug: { msg: hi }\n", "line 1 is not a play")]
    [InlineData("- hosts: all\n  tasks: [ unclosed\n", "does not parse as YAML")]
    public void YamlThatIsNoPlaybook_IsTos611_SayingWhy(string content, string why)
    {
        Script("playbooks/site.yml", content);

        var error = SingleError(_files.Compile(Creating("playbooks/site.yml")), ErrorCodes.NoExecutor);

        Assert.Contains("not an Ansible playbook", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Equal((8, 19), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void AnsibleArtifactWithoutYamlExtension_IsTos611_AtTheArtifact()
    {
        Script("playbooks/site", "- hosts: all\n  tasks: []\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  artifacts:
                    site: { type: tosca.artifacts.Implementation.Ansible, file: playbooks/site }
                  interfaces: { Standard: { create: site } }
            """);

        var error = Assert.Single(result.Errors, e => e.Code == ErrorCodes.NoExecutor);
        Assert.Contains(".yml", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Location.Line);
    }

    [Fact]
    public void UnknownBuiltin_IsTos611_NamingTheBuiltins()
    {
        var error = SingleError(_files.Compile(Creating("orchestra:nop")), ErrorCodes.NoExecutor);

        Assert.Contains("orchestra:noop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileOfAnotherKind_WithoutTheExecuteBit_IsTos611()
    {
        Script("scripts/install.rb", "puts 1\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = SingleError(_files.Compile(Creating("scripts/install.rb")), ErrorCodes.NoExecutor);

        Assert.Contains("chmod +x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_IsTos611()
    {
        var error = SingleError(_files.Compile(Creating("\"https://example.com/install.sh\"")), ErrorCodes.NoExecutor);

        Assert.Contains("URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArtifactInARepository_IsTos611()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            repositories:
              scripts: { url: "https://example.com/scripts" }
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  artifacts:
                    installer: { file: install.sh, type: tosca.artifacts.Implementation.Bash, repository: scripts }
                  interfaces:
                    Standard:
                      create: installer
            """);

        var error = SingleError(result, ErrorCodes.NoExecutor);
        Assert.Contains("repository 'scripts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArtifactWhoseFileIsMissing_IsTos609AtTheArtifact()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  artifacts:
                    installer: { file: scripts/install.sh, type: tosca.artifacts.Implementation.Bash }
                  interfaces:
                    Standard:
                      create: installer
            """);

        var error = SingleError(result, ErrorCodes.ImplementationNotFound);
        Assert.Equal(7, error.Location.Line);
        Assert.Contains("artifact 'installer'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingScriptOfANodeType_UsedByTwoNodes_IsReportedOnceAtTheType()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              test.App:
                derived_from: tosca.nodes.Root
                interfaces:
                  Standard:
                    create: scripts/create.sh
            topology_template:
              node_templates:
                a: { type: test.App }
                b: { type: test.App }
            """);

        Assert.Equal(7, SingleError(result, ErrorCodes.ImplementationNotFound).Location.Line);
    }

    [Fact]
    public void OutsideTheAllowedDirectories_AMissingAndAnExistingFile_GetTheSameTos109_AndNoWordOfExistence()
    {
        var allowed = Directory.CreateDirectory(Path.Combine(_files.Root, "allowed")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_files.Root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "exists.sh"), "#!/bin/bash\n");
        var options = new ToscaCompilerOptions { FileAccess = FileAccessPolicy.Within([allowed], "the test's roots") };

        var existing = ToscaCompiler.Compile(_files.Write("allowed/a.yaml", Creating("../outside/exists.sh")), options: options);
        var missing = ToscaCompiler.Compile(_files.Write("allowed/b.yaml", Creating("../outside/nothere.sh")), options: options);

        var a = SingleError(existing, ErrorCodes.PathNotAllowed);
        var b = SingleError(missing, ErrorCodes.PathNotAllowed);
        Assert.Equal(a.Message.Replace("exists", "X", StringComparison.Ordinal), b.Message.Replace("nothere", "X", StringComparison.Ordinal));
    }

    [Fact]
    public void InsideTheAllowedDirectories_AMissingFile_IsTos609()
    {
        var allowed = Directory.CreateDirectory(Path.Combine(_files.Root, "allowed")).FullName;
        var options = new ToscaCompilerOptions { FileAccess = FileAccessPolicy.Within([allowed], "the test's roots") };

        var result = ToscaCompiler.Compile(_files.Write("allowed/a.yaml", Creating("nothere.sh")), options: options);

        SingleError(result, ErrorCodes.ImplementationNotFound);
    }
}
