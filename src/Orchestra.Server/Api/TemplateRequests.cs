using Microsoft.AspNetCore.Http;
using Orchestra.Application.Api;
using Orchestra.Application.Templates;
using Orchestra.Engine.Plans;
using Orchestra.Server.Templates;

namespace Orchestra.Server.Api;

/// <summary>Reads the template part of a request body, shared by submitting and planning.</summary>
internal static class TemplateRequests
{
    /// <summary>The template the body names, checked against the server's template directories.</summary>
    /// <returns>The source, or the problem (400, 403, 404) to answer with.</returns>
    public static (TemplateSource? Source, IResult? Error) ResolveSource(SubmitDeploymentRequest body, TemplateDirectoryPolicy policy)
    {
        // No file system call accepts a NUL; refused here, it is the client's mistake (400), not the server's (500).
        foreach (var (field, value) in new[] { ("templatePath", body.TemplatePath), ("baseDirectory", body.BaseDirectory) })
        {
            if (value?.Contains('\0', StringComparison.Ordinal) == true)
            {
                return (null, Problems.InvalidRequest($"'{field}' contains a NUL character, which no path may contain."));
            }
        }

        if (!string.IsNullOrWhiteSpace(body.TemplatePath))
        {
            if (body.Template is not null)
            {
                return (null, Problems.InvalidRequest("Give either 'templatePath' or 'template', not both."));
            }

            if (!Path.IsPathRooted(body.TemplatePath))
            {
                return (null, Problems.InvalidRequest($"'templatePath' must be an absolute path on the server; got '{body.TemplatePath}'."));
            }

            if (!policy.IsAllowed(body.TemplatePath))
            {
                return (null, Problems.TemplateNotAllowed(policy.RefusalMessage(body.TemplatePath)));
            }

            if (Directory.Exists(body.TemplatePath))
            {
                return (null, Problems.TemplateNotFound(body.TemplatePath, isDirectory: true));
            }

            if (!File.Exists(body.TemplatePath))
            {
                return (null, Problems.TemplateNotFound(body.TemplatePath));
            }

            return (TemplateSource.FromFile(body.TemplatePath), null);
        }
        else if (body.Template is not null)
        {
            if (string.IsNullOrWhiteSpace(body.BaseDirectory))
            {
                return (null, Problems.InvalidRequest("With inline 'template' text, 'baseDirectory' is required: the directory (inside an allowed template directory) that the template's scripts are resolved against."));
            }

            if (!Path.IsPathRooted(body.BaseDirectory))
            {
                return (null, Problems.InvalidRequest($"'baseDirectory' must be an absolute path on the server; got '{body.BaseDirectory}'."));
            }

            if (!policy.IsAllowed(body.BaseDirectory))
            {
                return (null, Problems.TemplateNotAllowed(policy.RefusalMessage(body.BaseDirectory)));
            }

            return (TemplateSource.FromText(body.Template, body.BaseDirectory, (body.Id ?? "template") + ".yaml"), null);
        }
        else
        {
            return (null, Problems.InvalidRequest("Missing template: give 'templatePath' (a file in an allowed directory), or 'template' (YAML text) with 'baseDirectory'."));
        }
    }

    /// <summary>Parses the optional <c>onFailure</c> override.</summary>
    /// <returns>The action (or <see langword="null"/> when not given), or the 400 problem to answer with.</returns>
    public static (FailureAction? Action, IResult? Error) ParseOnFailure(string? text)
    {
        if (text is null)
        {
            return (null, null);
        }

        return Enum.TryParse<FailureAction>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? (parsed, null)
            : (null, Problems.InvalidRequest($"'onFailure' must be 'halt' or 'rollback'; got '{text}'."));
    }
}
