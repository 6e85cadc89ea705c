using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Application.Templates;

/// <summary>Thrown when a template does not compile; <see cref="Diagnostics"/> has every problem with its position.</summary>
public sealed class TemplateInvalidException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="diagnostics">The diagnostics (errors and warnings).</param>
    public TemplateInvalidException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, (diagnostics ?? []).Where(d => d.IsError)))
        => Diagnostics = diagnostics ?? [];

    /// <summary>Every diagnostic.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
