namespace Orchestra.Tosca.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Something suspicious that does not stop a deployment.</summary>
    Warning,

    /// <summary>Something that stops the template from deploying.</summary>
    Error,
}
