using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orchestra.Application.Api;
using Orchestra.Application.Configuration;
using Orchestra.Server.Hosting;
using Orchestra.Server.Templates;

namespace Orchestra.Server.Api;

/// <summary>
/// <c>GET /api/templates</c> (the template files of the allowed directories) and <c>GET /api/templates/inputs?path=</c> (what one
/// declares as inputs, and its text): what the operator console's submit form is built from.
/// </summary>
internal static class TemplateCatalogEndpoints
{
    private const int MaxDepth = 8;

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/templates").WithTags("Templates");

        group.MapGet("/", (TemplateDirectoryPolicy policy, IOptions<OrchestraOptions> options) => Results.Ok(List(policy, options.Value.Server.MaxListedTemplates)))
            .WithName("ListTemplates")
            .WithSummary("The template files (.yaml, .yml) under the allowed template directories, sorted by path.")
            .Produces<IReadOnlyList<TemplateFile>>();

        group.MapGet("/inputs", Inputs)
            .WithName("GetTemplateInputs")
            .WithSummary("The inputs a template declares (type, description, default, required, constraints, line) and its text.")
            .Produces<TemplateInputs>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static List<TemplateFile> List(TemplateDirectoryPolicy policy, int limit)
    {
        var files = new List<TemplateFile>();
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var root in policy.AllowedDirectories.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(root, "*", enumeration).Where(IsTemplateFile).Order(StringComparer.Ordinal))
            {
                if (files.Count == limit)
                {
                    return files;
                }

                files.Add(new TemplateFile(path, Path.GetRelativePath(root, path).Replace('\\', '/'), root));
            }
        }

        return files;
    }

    private static bool IsTemplateFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static IResult Inputs(string? path, TemplateDirectoryPolicy policy, OrchestraNodeService service, IOptions<OrchestraOptions> options)
    {
        var (source, error) = TemplateRequests.ResolveSource(new SubmitDeploymentRequest { TemplatePath = path }, policy);
        if (source is null)
        {
            return error!;
        }

        if (!IsTemplateFile(source.Path))
        {
            return Problems.InvalidRequest($"'{path}' is not a template file (.yaml or .yml).");
        }

        // The text goes back whole, and a form submits it no bigger than a request may be.
        if (new FileInfo(source.Path).Length is var size && size > options.Value.Server.MaxRequestBodyBytes)
        {
            return Problems.TooLarge($"'{path}' has {size} bytes, more than Orchestra:Server:MaxRequestBodyBytes ({options.Value.Server.MaxRequestBodyBytes}).");
        }

        // Compiled without inputs: the declarations are read even when a required input is missing, which is the form's job to ask.
        var compilation = service.Node.Templates.Compile(source, new Dictionary<string, string>(StringComparer.Ordinal));
        var inputs = compilation.Template?.Inputs.Select(i => new TemplateInput(
            i.Name, i.Type, i.Description, i.Default, i.Required, i.Constraints, i.Location.Line, i.Location.Column)).ToArray() ?? [];
        return Results.Ok(new TemplateInputs(source.Path, File.ReadAllText(source.Path), inputs));
    }

    /// <summary>A template file the server may run.</summary>
    /// <param name="Path">Its absolute path, as <c>templatePath</c> of a submit takes it.</param>
    /// <param name="Name">Its path relative to its allowed directory.</param>
    /// <param name="Directory">The allowed directory it is in.</param>
    internal sealed record TemplateFile(string Path, string Name, string Directory);

    /// <summary>The answer of <c>GET /api/templates/inputs</c>.</summary>
    /// <param name="TemplatePath">The template's absolute path.</param>
    /// <param name="Text">Its text, for showing errors at their line.</param>
    /// <param name="Inputs">Its inputs, in declaration order.</param>
    internal sealed record TemplateInputs(string TemplatePath, string Text, IReadOnlyList<TemplateInput> Inputs);

    /// <summary>One declared input.</summary>
    /// <param name="Name">The input's name.</param>
    /// <param name="Type">Its TOSCA type (<c>string</c>, <c>integer</c>, <c>boolean</c>, <c>list</c>, ...).</param>
    /// <param name="Description">Its description, if any.</param>
    /// <param name="Default">Its default, as JSON.</param>
    /// <param name="Required">Whether a submission must give it (declared required, no default).</param>
    /// <param name="Constraints">Its constraints as written (<c>valid_values: [small, large]</c>).</param>
    /// <param name="Line">The line of its declaration.</param>
    /// <param name="Column">The column of its declaration.</param>
    internal sealed record TemplateInput(
        string Name, string Type, string? Description, JsonElement? Default, bool Required, IReadOnlyList<string> Constraints, int Line, int Column);
}
