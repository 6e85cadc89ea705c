namespace Orchestra.Tosca.Diagnostics;

/// <summary>Collects diagnostics as the processor goes, so that all of them are reported at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors { get; private set; }

    public void Error(string code, SourceLocation location, string message, string? suggestion = null) =>
        Add(new Diagnostic(code, DiagnosticSeverity.Error, message, location, suggestion));

    public void Warning(string code, SourceLocation location, string message, string? suggestion = null) =>
        Add(new Diagnostic(code, DiagnosticSeverity.Warning, message, location, suggestion));

    public void Add(Diagnostic diagnostic)
    {
        // The same definition can be checked from several places (an imported file used twice): report once.
        if (_seen.Add(diagnostic.ToString()))
        {
            _items.Add(diagnostic);
            HasErrors |= diagnostic.IsError;
        }
    }
}
