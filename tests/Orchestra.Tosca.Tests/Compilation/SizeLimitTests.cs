using System.Text;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>What a template may make Orchestra write: the text its aliases stand for, the compiled plan, the inputs it is given.</summary>
[Trait("Category", "Unit")]
public sealed class SizeLimitTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    // Well under 1 KB: one 100-character string, multiplied by eight at each level of aliases, and given to every operation of a node
    // through an interface input (so the plan holds it once per operation and per revert).
    private static string AliasTemplate(int levels)
    {
        var sb = new StringBuilder("tosca_definitions_version: tosca_simple_yaml_1_3\ndsl_definitions:\n");
        sb.Append("  s: &l0 ").Append('x', 100).Append('\n');
        for (var i = 1; i <= levels; i++)
        {
            sb.Append($"  l{i}: &l{i} [").Append(string.Join(",", Enumerable.Repeat($"*l{i - 1}", 8))).Append("]\n");
        }

        sb.Append($$"""
            topology_template:
              node_templates:
                n:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      inputs: { blob: *l{{levels}} }
                      create: orchestra:noop
                      configure: orchestra:noop
                      start: orchestra:noop
                      stop: orchestra:noop
                      delete: orchestra:noop

            """);
        return sb.ToString();
    }

    [Fact]
    public void SmallTemplate_WhosePlanWouldBeTensOfMegabytes_IsRejectedAtTheNodeTemplate()
    {
        var template = AliasTemplate(levels: 5);
        Assert.InRange(Encoding.UTF8.GetByteCount(template), 1, 800);

        var result = _files.Compile(template);

        Assert.Null(result.Plan);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.PlanTooLarge, error.Code);
        Assert.Equal((11, 5), (error.Location.Line, error.Location.Column));
        Assert.Contains("node template 'n'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ToscaCompilerOptions.MaxPlanBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallTemplate_WhoseAliasesStandForMoreTextThanTheLimit_IsRejectedAtTheAlias_WithBoundedWork()
    {
        var template = AliasTemplate(levels: 6);
        Assert.InRange(Encoding.UTF8.GetByteCount(template), 1, 800);

        var before = GC.GetTotalAllocatedBytes();
        var result = _files.Compile(template);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.TooManyNodes, error.Code);
        Assert.Contains("ToscaCompilerOptions.MaxExpandedBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(9, error.Location.Line);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 100L * 1024 * 1024);
    }

    [Fact]
    public void PlanLimit_IsTheOption_AndAPlanUnderItCompiles()
    {
        var template = AliasTemplate(levels: 3);

        var ok = _files.Compile(template);
        var tight = _files.Compile(template, options: new ToscaCompilerOptions { MaxPlanBytes = 64 * 1024 });

        Assert.True(ok.Success, string.Join("\n", ok.Diagnostics));
        Assert.InRange(PlanValidator.SizeOf(ok.Plan!), 64 * 1024, ToscaCompilerOptions.Default.MaxPlanBytes);
        Assert.Contains(tight.Errors, e => e.Code == ErrorCodes.PlanTooLarge);
    }

    [Fact]
    public void SuppliedInputs_LargerThanTheLimit_AreRejectedAtTheInputsDeclaration()
    {
        const string template = """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              inputs:
                small: { type: string }
                blob: { type: string }
              node_templates:
                n:
                  type: tosca.nodes.Root
                  interfaces:
                    Standard:
                      create: { implementation: orchestra:noop, inputs: { b: { get_input: blob } } }
            """;

        var result = _files.Compile(template, new Dictionary<string, object?> { ["small"] = "hi", ["blob"] = new string('x', 10_000_000) });

        Assert.Null(result.Plan);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.InputTooLarge, error.Code);
        Assert.Equal(5, error.Location.Line);
        Assert.Contains("input 'blob'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ToscaCompilerOptions.MaxInputBytes", error.Message, StringComparison.Ordinal);
        Assert.True(_files.Compile(template, new Dictionary<string, object?> { ["small"] = "hi", ["blob"] = new string('x', 100_000) }).Success);
    }
}
