namespace Orchestra.Tosca;

/// <summary>A summary of a parsed service template: what a front end shows before deploying it.</summary>
/// <param name="Path">The main file, as given.</param>
/// <param name="Name">The template's name: metadata <c>template_name</c>, else the file name without extension.</param>
/// <param name="Version">The <c>tosca_definitions_version</c>.</param>
/// <param name="Description">The template's description, if any.</param>
/// <param name="Inputs">The declared inputs, in declaration order.</param>
/// <param name="NodeTemplates">Node template names and their type names, in declaration order.</param>
/// <param name="Outputs">The names of the topology outputs.</param>
public sealed record ServiceTemplate(
    string Path,
    string Name,
    string? Version,
    string? Description,
    IReadOnlyList<InputDefinition> Inputs,
    IReadOnlyList<KeyValuePair<string, string?>> NodeTemplates,
    IReadOnlyList<string> Outputs);
