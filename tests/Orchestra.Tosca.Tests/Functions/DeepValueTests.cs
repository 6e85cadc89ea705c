using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Functions;

/// <summary>Deeply nested values: plain nesting is not mistaken for a function cycle, and both keep a hard limit.</summary>
[Trait("Category", "Unit")]
public sealed class DeepValueTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Nested(int depth) => new string('[', depth) + "x" + new string(']', depth);

    private static string WithInput(string value) => $$"""
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          node_templates:
            app:
              type: tosca.nodes.Root
              interfaces:
                Standard:
                  create:
                    implementation: orchestra:noop
                    inputs:
                      deep: {{value}}
        """;

    [Theory]
    [InlineData(40)]
    [InlineData(47)]
    public void PlainConstant_NestedDeeperThanTheFunctionLimit_Compiles(int depth)
    {
        var result = _files.Compile(WithInput(Nested(depth)));

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var deep = Assert.IsType<LiteralValue>(result.Plan!.FindNode("app")!.Operations[0].Inputs["deep"]);
        var element = deep.Value;
        for (var i = 0; i < depth; i++)
        {
            element = Assert.Single(element.EnumerateArray());
        }

        Assert.Equal("x", element.GetString());
    }

    [Fact]
    public void PlainConstant_DeeperThanAPlanHolds_IsReportedAsPlanNesting_NotAsACycle()
    {
        var result = _files.Compile(WithInput(Nested(150)));

        Assert.False(result.Success);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == ErrorCodes.InvalidFunction);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("nests 151 levels deep", StringComparison.Ordinal));
    }

    [Fact]
    public void HostileNesting_BeyondTheEvaluatorLimit_IsReportedAsNesting_NotAsACycle()
    {
        var result = _files.Compile(WithInput(Nested(600)), options: new ToscaCompilerOptions { MaxDepth = 2000 });

        Assert.False(result.Success);
        var error = Assert.Single(result.Diagnostics, d => d.Code == ErrorCodes.InvalidFunction);
        Assert.Contains("nests more than 512 levels", error.Message);
        Assert.DoesNotContain("cycle", error.Message);
    }

    [Fact]
    public void LongGetPropertyChain_IsReportedAsTooManyFunctionCalls()
    {
        const int hops = 40;
        var properties = string.Join("\n", Enumerable.Range(0, hops + 1).Select(i => $"        p{i}: {{ type: string, required: false }}"));
        var values = string.Join("\n", Enumerable.Range(0, hops).Select(i => $"        p{i}: {{ get_property: [ SELF, p{i + 1} ] }}"));
        var result = _files.Compile($$"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              example.Chain:
                derived_from: tosca.nodes.Root
                properties:
            {{properties}}
            topology_template:
              node_templates:
                app:
                  type: example.Chain
                  properties:
            {{values}}
                    p{{hops}}: end
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          first: { get_property: [ SELF, p0 ] }
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Diagnostics, d => d.Code == ErrorCodes.InvalidFunction && d.Message.Contains("get_property cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void ShortGetPropertyChain_ToADeepConstant_Compiles()
    {
        var result = _files.Compile($$"""
            tosca_definitions_version: tosca_simple_yaml_1_3
            node_types:
              example.Deep:
                derived_from: tosca.nodes.Root
                properties:
                  a: { type: list, required: false }
                  b: { type: list, required: false }
            topology_template:
              node_templates:
                app:
                  type: example.Deep
                  properties:
                    a: { get_property: [ SELF, b ] }
                    b: {{Nested(45)}}
                  interfaces:
                    Standard:
                      create:
                        implementation: orchestra:noop
                        inputs:
                          deep: { get_property: [ SELF, a ] }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.IsType<LiteralValue>(result.Plan!.FindNode("app")!.Operations[0].Inputs["deep"]);
    }
}
