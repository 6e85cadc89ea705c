using System.Text.RegularExpressions;
using Orchestra.Testing;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Corpus;

/// <summary>Every service template of the tosca-parser corpus, as classified by its INDEX.md.</summary>
[Trait("Category", "Unit")]
[RequiresToscaCorpus]
public sealed partial class CorpusTests
{
    // Valid templates that no orchestrator can deploy as written: the error that says why.
    private static readonly Dictionary<string, (string Code, string Fragment, string File)> Undeployable = new()
    {
        ["data/relationship/test_custom_relationship.yaml"] = (ErrorCodes.DependencyCycle, "server1 -> server2 -> server1", "test_custom_relationship.yaml"),
        ["data/node_filter/test_node_filter.yaml"] = (ErrorCodes.UnsatisfiedRequirement, "node_filter", "test_node_filter.yaml"),
    };

    // Valid TOSCA that would certainly fail here: a requirement's target of another node type than the definition names, or an
    // implementation no executor runs. (The scripts the corpus names were not copied, and some inputs have no default: those
    // errors, TOS609 and TOS603, are checked against the files and the declarations instead of listed.)
    private static readonly Dictionary<string, (string Code, string Fragment)[]> CertainToFail = new()
    {
        ["data/containers/test_container_docker_mysql.yaml"] = [(ErrorCodes.NoExecutor, "is in repository 'docker_hub'")],
        ["data/functions/tosca_nested_property_names_indexes.yaml"] = [(ErrorCodes.IncompatibleTarget, "'wordpress' needs a node of type tosca.nodes.WebServer")],
        ["data/interfaces/test_custom_interface_in_template.yaml"] = [(ErrorCodes.IncompatibleTarget, "needs a node of type tosca.nodes.WebServer")],
        ["data/interfaces/test_custom_interface_notifications.yaml"] = [(ErrorCodes.IncompatibleTarget, "needs a node of type tosca.nodes.WebServer")],
        ["data/interfaces/test_custom_interface_operations.yaml"] = [(ErrorCodes.IncompatibleTarget, "needs a node of type tosca.nodes.WebServer")],
        ["data/test_custom_capabilty.yaml"] = [(ErrorCodes.IncompatibleTarget, "needs a node of type tosca.nodes.Compute")],
        ["data/test_instance_nested_imports.yaml"] =
            [(ErrorCodes.IncompatibleTarget, "'wordpress' needs a node of type tosca.nodes.WebServer"), (ErrorCodes.IncompatibleTarget, "'wordpress_db' needs a node of type tosca.nodes.DBMS")],
        ["data/topology_template/system.yaml"] = [(ErrorCodes.IncompatibleTarget, "'dbsys' needs a node of type tosca.nodes.DBMS")],
    };

    // Invalid templates: the error each must report (code, a fragment of the message, and the file it is located in).
    private static readonly Dictionary<string, (string Code, string Fragment, string File)> Invalid = new()
    {
        ["data/datatypes/test_custom_datatypes_value_error.yaml"] = (ErrorCodes.TypeMismatch, "must be a map", "test_custom_datatypes_value_error.yaml"),
        ["data/datatypes/test_datatype_portspec_add_req.yaml"] = (ErrorCodes.ConstraintViolated, "in_range: [1, 65535]", "test_datatype_portspec_add_req.yaml"),
        ["data/functions/test_get_attribute_host_not_found.yaml"] = (ErrorCodes.KeywordNotResolvable, "tosca.relationships.HostedOn", "test_get_attribute_host_not_found.yaml"),
        ["data/functions/test_get_attribute_illegal_host_in_outputs.yaml"] = (ErrorCodes.KeywordNotResolvable, "HOST is not allowed in the outputs", "test_get_attribute_illegal_host_in_outputs.yaml"),
        ["data/functions/test_get_attribute_unknown_attribute_name.yaml"] = (ErrorCodes.UnknownFunctionProperty, "attribute 'unknown_attribute' was not found in node template 'server'", "test_get_attribute_unknown_attribute_name.yaml"),
        ["data/functions/test_get_attribute_unknown_node_template_name.yaml"] = (ErrorCodes.UnknownFunctionTarget, "node template 'unknown_node_template' does not exist", "test_get_attribute_unknown_node_template_name.yaml"),
        ["data/functions/test_invalid_function_signature.yaml"] = (ErrorCodes.InvalidFunction, "get_input", "test_invalid_function_signature.yaml"),
        ["data/functions/test_token_invalid.yaml"] = (ErrorCodes.InvalidFunction, "token expects three arguments", "test_token_invalid.yaml"),
        ["data/functions/test_unknown_input_in_interface.yaml"] = (ErrorCodes.UnknownInput, "input 'image_id' is not declared", "test_unknown_input_in_interface.yaml"),
        ["data/interfaces/test_custom_interface_invalid_operation.yaml"] = (ErrorCodes.UnknownOperation, "no operation 'CustomOp4'", "test_custom_interface_invalid_operation.yaml"),
        ["data/test_import_invalid_template_version.yaml"] = (ErrorCodes.InvalidVersion, "tosca_simple_yaml_XXX", "invalid_template_version.yaml"),
        ["data/test_invalid_input_defaults.yaml"] = (ErrorCodes.TypeMismatch, "is not an integer", "test_invalid_input_defaults.yaml"),
        ["data/test_invalid_template_version.yaml"] = (ErrorCodes.InvalidVersion, "\"tosca_xyz\"", "test_invalid_template_version.yaml"),
        ["data/test_multiple_validation_errors.yaml"] = (ErrorCodes.InvalidVersion, "\"tosca_simple_yaml_1\"", "test_multiple_validation_errors.yaml"),
        ["data/test_scalar_unit_without_unit.yaml"] = (ErrorCodes.TypeMismatch, "not a valid scalar-unit.size", "test_scalar_unit_without_unit.yaml"),
        ["data/test_template_without_requirement.yaml"] = (ErrorCodes.RequirementOccurrences, "requirement 'host'", "test_template_without_requirement.yaml"),
        ["data/test_tosca_top_level_error1.yaml"] = (ErrorCodes.MissingVersion, "tosca_definitions_version", "test_tosca_top_level_error1.yaml"),
        ["data/test_tosca_top_level_error2.yaml"] = (ErrorCodes.UnknownKey, "'node_template'", "test_tosca_top_level_error2.yaml"),
        ["data/topology_template/validate/test_substitution_mappings_invalid_output.yaml"] = (ErrorCodes.UnknownFunctionProperty, "attribute 'my_cpu_output' was not found in node template 'substitute_app'", "test_substitution_mappings_invalid_output.yaml"),
    };

    public static TheoryData<string> ValidFiles() => Section("Valid service templates");

    public static TheoryData<string> InvalidFiles() => Section("Invalid service templates");

    [ConditionalTheory]
    [MemberData(nameof(ValidFiles))]
    public void ValidTemplate_Compiles_OrReportsWhyItCannotDeploy(string file)
    {
        var result = ToscaCompiler.Compile(CorpusLocator.PathOf(file));
        var report = string.Join(Environment.NewLine, result.Diagnostics.Select(d => d.ToDisplayString()));
        if (Undeployable.TryGetValue(file, out var expected))
        {
            Assert.False(result.Success, report);
            Assert.Contains(result.Errors, d => d.Code == expected.Code && d.Message.Contains(expected.Fragment, StringComparison.Ordinal)
                && d.Location.File.EndsWith(expected.File, StringComparison.Ordinal) && d.Location.Line > 0);
            return;
        }

        if (result.Success)
        {
            Assert.NotNull(result.Plan);
            Assert.Equal(result.Template!.NodeTemplates.Count, result.Plan!.Nodes.Count);
            Assert.False(CertainToFail.ContainsKey(file), report);
            return;
        }

        // Otherwise every error must be one that is true of this file: a script that is indeed absent, an input that indeed has no
        // default, or one of those listed for it.
        var listed = CertainToFail.GetValueOrDefault(file) ?? [];
        foreach (var error in result.Errors)
        {
            Assert.True(error.Location.Line > 0, report);
            var looked = LookedFor().Match(error.Message);
            var isTrue = error.Code switch
            {
                ErrorCodes.ImplementationNotFound => looked.Success && !File.Exists(looked.Groups[1].Value) && !Directory.Exists(looked.Groups[1].Value),
                ErrorCodes.MissingInputValue => result.Inputs.Any(i => i.Required && error.Message.StartsWith($"input '{i.Name}' ", StringComparison.Ordinal)),
                _ => listed.Any(l => l.Code == error.Code && error.Message.Contains(l.Fragment, StringComparison.Ordinal)),
            };
            Assert.True(isTrue, $"unexpected error {error}{Environment.NewLine}{report}");
        }

        Assert.All(listed, l => Assert.Contains(result.Errors, e => e.Code == l.Code && e.Message.Contains(l.Fragment, StringComparison.Ordinal)));
    }

    [ConditionalTheory]
    [MemberData(nameof(InvalidFiles))]
    public void InvalidTemplate_IsRejected_WithALocatedErrorAboutTheRightThing(string file)
    {
        var result = ToscaCompiler.Compile(CorpusLocator.PathOf(file));
        var report = string.Join(Environment.NewLine, result.Diagnostics.Select(d => d.ToDisplayString()));
        Assert.False(result.Success, report);
        Assert.Null(result.Plan);
        var expected = Invalid[file];
        Assert.True(result.Errors.Any(d => d.Code == expected.Code && d.Message.Contains(expected.Fragment, StringComparison.Ordinal)
            && d.Location.File.EndsWith(expected.File, StringComparison.Ordinal) && d.Location.Line > 0 && d.Location.Column > 0),
            $"expected {expected.Code} containing \"{expected.Fragment}\" in {expected.File}; got:{Environment.NewLine}{report}");
    }

    [ConditionalFact]
    public void Index_ListsEveryInvalidFileThatTheTableExpects()
    {
        var invalid = Files("Invalid service templates").ToHashSet();
        Assert.Equal(19, invalid.Count);
        Assert.Equal(40, Files("Valid service templates").Count);
        Assert.True(invalid.SetEquals(Invalid.Keys));
    }

    [ConditionalFact]
    public void MultipleValidationErrors_AreAllReported()
    {
        var result = ToscaCompiler.Compile(CorpusLocator.PathOf("data/test_multiple_validation_errors.yaml"));
        var codes = result.Errors.Select(e => e.Code).ToHashSet();
        Assert.Contains(ErrorCodes.InvalidVersion, codes);
        Assert.Contains(ErrorCodes.ImportNotFound, codes);
        Assert.Contains(ErrorCodes.UnknownType, codes);
        Assert.Contains(ErrorCodes.UnknownKey, codes);
        Assert.Contains(ErrorCodes.MissingKey, codes);
        Assert.Contains(ErrorCodes.UnknownNodeTemplate, codes);
        Assert.Contains(result.Errors, e => e.Message.Contains("'requirement'", StringComparison.Ordinal) && e.Suggestion == "did you mean 'requirements'?");
        Assert.Contains(result.Errors, e => e.Message.Contains("'server1'", StringComparison.Ordinal) && e.Suggestion == "did you mean 'server'?");
        Assert.True(result.Errors.Count() >= 8, string.Join(Environment.NewLine, result.Errors));
    }

    // Reads INDEX.md: the file column of the table under the given heading.
    private static TheoryData<string> Section(string heading) => new(Files(heading));

    private static List<string> Files(string heading)
    {
        var data = new List<string>();
        var inSection = false;
        foreach (var line in File.ReadLines(CorpusLocator.PathOf("INDEX.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.Contains(heading, StringComparison.Ordinal);
                continue;
            }

            var match = inSection ? FileName().Match(line) : Match.Empty;
            if (match.Success)
            {
                data.Add(match.Groups[1].Value);
            }
        }

        return data;
    }

    [GeneratedRegex(@"\(looked for ([^)]+)\)")]
    private static partial Regex LookedFor();

    [GeneratedRegex(@"^(?:\| |### )`(data/[^`]+\.yaml)`")]
    private static partial Regex FileName();
}
