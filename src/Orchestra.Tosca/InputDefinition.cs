using System.Text.Json;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca;

/// <summary>An input that a service template declares, for listing (CLI <c>--input</c>, HTTP forms).</summary>
/// <param name="Name">The input's name.</param>
/// <param name="Type">The declared TOSCA type (<c>string</c>, <c>integer</c>, <c>list</c>, a data type, ...).</param>
/// <param name="Description">The declared description, if any.</param>
/// <param name="Default">The default value as JSON, if there is one.</param>
/// <param name="Required">Whether a deployment needs a value for it: declared required and without a default.</param>
/// <param name="Constraints">The constraints, rendered as written (e.g. <c>valid_values: [1, 2, 4]</c>).</param>
/// <param name="Location">Where the input is declared.</param>
public sealed record InputDefinition(
    string Name,
    string Type,
    string? Description,
    JsonElement? Default,
    bool Required,
    IReadOnlyList<string> Constraints,
    SourceLocation Location);
