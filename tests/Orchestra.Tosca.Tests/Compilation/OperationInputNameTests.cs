namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>Operation inputs become environment variables of the script: a name the shell, the loader or an interpreter acts on is a located error.</summary>
[Trait("Category", "Unit")]
public sealed class OperationInputNameTests : IDisposable
{
    private const string Header = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
    private const string UnsafeInputName = "TOS306";
    private readonly TemplateFiles _files = new();

    public OperationInputNameTests() => _files.Write("scripts/create.sh", "#!/bin/bash\n");

    public void Dispose() => _files.Dispose();

    [Fact]
    public void BashEnvInput_OfANodeTemplateOperation_IsAnErrorAtTheInputsKey()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: scripts/create.sh
                        inputs:
                          port: 8080
                          BASH_ENV: "$(id > /tmp/pwned)"
            """);

        Assert.Null(result.Plan);
        var error = Assert.Single(result.Errors);
        Assert.Equal(UnsafeInputName, error.Code);
        Assert.Equal((12, 15), (error.Location.Line, error.Location.Column));
        Assert.EndsWith("main.yaml", error.Location.File, StringComparison.Ordinal);
        Assert.Contains("'BASH_ENV'", error.Message, StringComparison.Ordinal);
        Assert.Contains("bash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoaderInput_DeclaredInANodeTypesInterface_IsAnErrorAtTheTypesLine()
    {
        var result = _files.Compile(Header + """
            node_types:
              my.Web:
                derived_from: tosca.nodes.Root
                interfaces:
                  Standard:
                    inputs:
                      LD_PRELOAD: { type: string, default: /tmp/evil.so }
                    create: scripts/create.sh
            topology_template:
              node_templates:
                web:
                  type: my.Web
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(UnsafeInputName, error.Code);
        Assert.Equal(8, error.Location.Line);
        Assert.Contains("'LD_PRELOAD'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("IFS")]
    [InlineData("PYTHONPATH")]
    [InlineData("PERL5OPT")]
    [InlineData("RUBYOPT")]
    [InlineData("NODE_OPTIONS")]
    [InlineData("GLIBC_TUNABLES")]
    [InlineData("ORCHESTRA_OUTPUTS")]
    [InlineData("LD-PRELOAD")]
    [InlineData("\"a=b\"")]
    public void UnsafeOrInvalidName_IsAnError(string name)
    {
        var result = _files.Compile(Header + $$"""
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: scripts/create.sh
                        inputs: { {{name}}: x }
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(UnsafeInputName, error.Code);
        Assert.Equal(10, error.Location.Line);
    }

    [Fact]
    public void OrdinaryNames_Compile()
    {
        var result = _files.Compile(Header + """
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: scripts/create.sh
                        inputs: { URL: "http://x", port: 8080, STATE_DIR: /tmp/s, path: /srv, user: web, env: prod, _private: 1 }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(7, result.Plan!.FindNode("web")!.Operations[0].Inputs.Count);
    }

    [Fact]
    public void DashedName_Compiles_AndTwoInputsPassedAsOneVariable_AreAnErrorAtTheSecond()
    {
        var ok = _files.Compile(Header + """
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: scripts/create.sh
                        inputs: { db-port: 5432 }
            """);
        Assert.True(ok.Success, string.Join("\n", ok.Diagnostics));

        var clash = _files.Compile(Header + """
            topology_template:
              node_templates:
                web:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create:
                        implementation: scripts/create.sh
                        inputs:
                          db-port: 5432
                          db_port: 5433
            """);

        var error = Assert.Single(clash.Errors);
        Assert.Equal(UnsafeInputName, error.Code);
        Assert.Equal(12, error.Location.Line);
        Assert.Contains("as db_port", error.Message, StringComparison.Ordinal);
    }
}
