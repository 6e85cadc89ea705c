using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Compilation;

/// <summary>TOSCA inputs are required unless they have a default (or say <c>required: false</c>): one without a value is an error.</summary>
[Trait("Category", "Unit")]
public sealed class RequiredInputTests : IDisposable
{
    private const string Template = """
        tosca_definitions_version: tosca_simple_yaml_1_3
        topology_template:
          inputs:
            password: { type: string }
            port: { type: integer }
            region: { type: string, default: eu }
            note: { type: string, required: false }
          node_templates:
            only: { type: tosca.nodes.Root }
        """;

    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void RequiredInputsWithoutValueOrDefault_AreEachAnErrorAtTheirDeclaration()
    {
        var result = _files.Compile(Template);

        Assert.Null(result.Plan);
        var errors = result.Errors.ToList();
        Assert.All(errors, e => Assert.Equal(ErrorCodes.MissingInputValue, e.Code));
        Assert.Equal([(4, 5), (5, 5)], errors.Select(e => (e.Location.Line, e.Location.Column)));
        Assert.Contains("--input password=", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SuppliedValues_MakeTheTemplateValid()
    {
        var result = _files.Compile(Template, new Dictionary<string, object?> { ["password"] = "x", ["port"] = "8080" });

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void WithRequireAllInputsOff_AMissingInputIsAWarning_AsAParserWouldSay()
    {
        var result = _files.Compile(Template, options: new ToscaCompilerOptions { RequireAllInputs = false });

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, result.Diagnostics.Count(d => d.Code == ErrorCodes.MissingInputValue && !d.IsError));
    }
}
