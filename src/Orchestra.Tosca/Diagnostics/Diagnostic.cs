namespace Orchestra.Tosca.Diagnostics;

/// <summary>One problem found in a service template, located like a compiler error.</summary>
/// <param name="Code">A stable code such as <c>TOS301</c>; see <see cref="ErrorCodes"/> and the table in the project README.</param>
/// <param name="Severity">Whether it stops a deployment.</param>
/// <param name="Message">What is wrong: names the offending key and what was expected.</param>
/// <param name="Location">Where in which file.</param>
/// <param name="Suggestion">A likely fix (for example the closest known name), when one is obvious.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    SourceLocation Location,
    string? Suggestion = null)
{
    /// <summary>Whether this diagnostic stops a deployment.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Formats the diagnostic as <c>FILE:LINE:COL: error TOSxxx: message</c> (<c>warning</c> for warnings).</summary>
    /// <returns>The one-line form; the suggestion, if any, is not included (see <see cref="ToDisplayString"/>).</returns>
    public override string ToString() =>
        $"{Location.File}:{Location.Line}:{Location.Column}: {(IsError ? "error" : "warning")} {Code}: {Message}";

    /// <summary>Formats the diagnostic for people: <see cref="ToString"/> followed by the suggestion, if any, in parentheses.</summary>
    /// <returns>The display form.</returns>
    public string ToDisplayString() => Suggestion is null ? ToString() : $"{this} ({Suggestion})";
}
