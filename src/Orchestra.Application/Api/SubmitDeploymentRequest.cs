namespace Orchestra.Application.Api;

/// <summary>The body of <c>POST /api/deployments</c>.</summary>
/// <remarks>
/// Give either <see cref="TemplatePath"/> (a file inside an allowed template directory) or <see cref="Template"/>
/// (the YAML text) with a <see cref="BaseDirectory"/> inside an allowed directory, against which the scripts the
/// template names are resolved. Submitting the same <see cref="Id"/> with the same template and inputs again returns
/// the existing deployment (200 instead of 201).
/// </remarks>
public sealed class SubmitDeploymentRequest
{
    /// <summary>The deployment id (its name). When omitted: the template file's name without extension.</summary>
    public string? Id { get; set; }

    /// <summary>The path of the template file on the server.</summary>
    public string? TemplatePath { get; set; }

    /// <summary>The template's YAML text.</summary>
    public string? Template { get; set; }

    /// <summary>With <see cref="Template"/>: the directory that relative script paths and imports resolve against.</summary>
    public string? BaseDirectory { get; set; }

    /// <summary>
    /// Values of the template's inputs, by name, converted to the declared input types: strings, numbers and booleans as they are
    /// (<c>"port": 8080</c>, <c>"debug": true</c>), lists and maps as JSON; kept here as their text.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(InputValuesJsonConverter))]
    public Dictionary<string, string>? Inputs { get; set; }

    /// <summary>Overrides the template's failure action: <c>halt</c> or <c>rollback</c>.</summary>
    public string? OnFailure { get; set; }
}
