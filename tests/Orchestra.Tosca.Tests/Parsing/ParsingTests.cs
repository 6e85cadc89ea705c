using System.Diagnostics;
using System.Text;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Parsing;

[Trait("Category", "Unit")]
public sealed class ParsingTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Diagnostic_ToString_IsCompilerFormat()
    {
        var d = new Diagnostic("TOS301", DiagnosticSeverity.Error, "bad", new SourceLocation("a.yaml", 3, 7));
        Assert.Equal("a.yaml:3:7: error TOS301: bad", d.ToString());
        Assert.Equal("a.yaml:3:7: warning TOS301: bad", (d with { Severity = DiagnosticSeverity.Warning }).ToString());
    }

    [Fact]
    public void UnknownKey_IsLocatedAtTheKey_WithSuggestion()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  propertes: {}
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnknownKey, error.Code);
        Assert.Equal((6, 7), (error.Location.Line, error.Location.Column));
        Assert.Equal("did you mean 'properties'?", error.Suggestion);
        Assert.EndsWith("main.yaml:6:7: error TOS103: node template 'web' contains unknown key 'propertes'; expected one of: type, description, metadata, directives, properties, attributes, requirements, capabilities, interfaces, artifacts, node_filter, copy", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tosca_simple_yaml_1_0")]
    [InlineData("tosca_simple_yaml_1_1")]
    [InlineData("tosca_simple_yaml_1_2")]
    [InlineData("tosca_simple_yaml_1_3")]
    public void EveryVersion_From10To13_IsAccepted(string version)
    {
        var result = _files.Compile($"tosca_definitions_version: {version}\ntopology_template:\n  node_templates:\n    a: {{ type: tosca.nodes.Compute }}\n");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void AnchorsAliasesAndMergeKeys_AreResolved()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            dsl_definitions:
              base: &base { type: tosca.nodes.Root, interfaces: { Standard: { create: orchestra:noop } } }
            topology_template:
              node_templates:
                a:
                  <<: *base
                b:
                  <<: *base
                  interfaces: { Standard: { create: orchestra:sleep } }
            """);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal("orchestra:noop", result.Plan!.FindNode("a")!.Operations[0].Implementation);
        Assert.Equal("orchestra:sleep", result.Plan!.FindNode("b")!.Operations[0].Implementation);
    }

    [Fact]
    public void ByteOrderMark_IsAccepted()
    {
        var path = Path.Combine(_files.Root, "bom.yaml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("tosca_definitions_version: tosca_simple_yaml_1_3\n")]);
        Assert.True(ToscaCompiler.Compile(path).Success);
    }

    [Fact]
    public void DuplicateKey_IsAnError()
    {
        var result = _files.Compile("tosca_definitions_version: tosca_simple_yaml_1_3\ndescription: a\ndescription: b\n");
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.DuplicateKey && e.Location.Line == 3);
    }

    [Fact]
    public void YamlSyntaxError_IsLocated()
    {
        var result = _files.Compile("tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template: [ unclosed\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.YamlSyntax, error.Code);
        Assert.True(error.Location.Line >= 2);
    }

    [Fact]
    public void ImportCycle_IsAccepted_EachFileReadOnce()
    {
        // Files that import each other are fine (issue 14): DefinitionCompatibilityTests checks their types are all seen.
        _files.Write("a.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\nimports: [ b.yaml ]\n");
        _files.Write("b.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\nimports: [ a.yaml ]\n");
        var result = _files.Compile("tosca_definitions_version: tosca_simple_yaml_1_3\nimports: [ a.yaml ]\n");
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Imports_LongFormWithNamespacePrefix_AreResolvedRelativeToTheImportingFile()
    {
        _files.Write("types/defs.yaml", """
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              App:
                derived_from: tosca.nodes.Root
                interfaces: { Standard: { create: scripts/create.sh } }
            """);
        _files.Write("types/scripts/create.sh", "#!/bin/bash\n");
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            imports:
              - file: types/defs.yaml
                namespace_prefix: my
            topology_template:
              node_templates:
                app: { type: my.App }
            """);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal("types/scripts/create.sh", result.Plan!.Nodes[0].Operations[0].Implementation);
        Assert.Equal(_files.Root, result.Plan.BaseDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just a string")]
    [InlineData("- a\n- b\n")]
    public void NotTosca_IsRejected(string content)
    {
        var result = _files.Compile(content);
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.NotToscaDocument);
        Assert.Null(result.Template);
    }

    [Fact]
    public void Binary_IsRejected()
    {
        var path = Path.Combine(_files.Root, "bin.yaml");
        File.WriteAllBytes(path, [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2]);
        Assert.Contains(ToscaCompiler.Compile(path).Errors, e => e.Code == ErrorCodes.NotToscaDocument);
    }

    [Fact]
    public void HugeFile_IsRejectedBeforeReading()
    {
        var result = _files.Compile(new string('#', 2048), options: new ToscaCompilerOptions { MaxFileBytes = 1024 });
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.FileTooLarge);
    }

    [Fact]
    public void DeepNesting_IsRejectedQuickly()
    {
        var depth = 100_000;
        var content = "tosca_definitions_version: tosca_simple_yaml_1_3\nmetadata: " + new string('[', depth) + new string(']', depth) + "\n";
        var watch = Stopwatch.StartNew();
        var result = _files.Compile(content);
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.TooDeep);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void BillionLaughs_IsRejectedWithBoundedWork()
    {
        var sb = new StringBuilder("tosca_definitions_version: tosca_simple_yaml_1_3\ndsl_definitions:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 30; i++)
        {
            sb.Append($"  a{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        }

        var before = GC.GetTotalAllocatedBytes();
        var result = _files.Compile(sb.ToString());
        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.TooManyNodes && e.Message.Contains("alias", StringComparison.Ordinal));
        Assert.True(GC.GetTotalAllocatedBytes() - before < 200L * 1024 * 1024);
    }
}
