using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Validation;

/// <summary>Imperative workflows are checked but not run: a located warning says the section is ignored.</summary>
[Trait("Category", "Unit")]
public sealed class WorkflowsTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void WorkflowsSection_IsAWarningTos414AtItsKey_AndTheTemplateStillCompiles()
    {
        var result = _files.Compile("""
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                only: { type: tosca.nodes.Root }
              workflows:
                deploy:
                  steps:
                    s: { target: only, activities: [ { set_state: created } ] }
            """);

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((ErrorCodes.WorkflowsIgnored, false), (warning.Code, warning.IsError));
        Assert.Equal((5, 3), (warning.Location.Line, warning.Location.Column));
        Assert.Contains("'deploy'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("ignored", warning.Message, StringComparison.Ordinal);
    }
}
