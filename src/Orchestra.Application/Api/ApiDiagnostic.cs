using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Application.Api;

/// <summary>A template diagnostic in the <c>errors</c> extension of an invalid-template problem.</summary>
/// <param name="Code">The stable code, e.g. <c>TOS301</c>.</param>
/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="File">The file.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
/// <param name="Suggestion">A likely fix, if any.</param>
public sealed record ApiDiagnostic(string Code, string Severity, string Message, string File, int Line, int Column, string? Suggestion)
{
    /// <summary>Converts a compiler diagnostic.</summary>
    /// <param name="diagnostic">The diagnostic.</param>
    /// <returns>Its API form.</returns>
    public static ApiDiagnostic From(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new(diagnostic.Code, diagnostic.IsError ? "error" : "warning", diagnostic.Message,
            diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column, diagnostic.Suggestion);
    }

    /// <summary>Whether it is an error (not a warning).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsError => string.Equals(Severity, "error", StringComparison.Ordinal);

    /// <summary>The compiler form: <c>FILE:LINE:COL: error CODE: message</c>, then the suggestion in parentheses, if any.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {Severity} {Code}: {Message}{(Suggestion is null ? string.Empty : $" ({Suggestion})")}";
}
