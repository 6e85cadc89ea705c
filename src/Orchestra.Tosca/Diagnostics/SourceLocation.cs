namespace Orchestra.Tosca.Diagnostics;

/// <summary>A position in a source file: where a value or key was written.</summary>
/// <param name="File">The file's path as it was given (or a display name for built-in definitions and caller inputs).</param>
/// <param name="Line">The 1-based line; 0 when unknown.</param>
/// <param name="Column">The 1-based column; 0 when unknown.</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location for a whole file, before any position is known.</summary>
    /// <param name="file">The file.</param>
    /// <returns>The location at line 1, column 1.</returns>
    public static SourceLocation StartOf(string file) => new(file, 1, 1);

    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
