using Orchestra.Application.Nodes;

namespace Orchestra.Application.Templates;

/// <summary>Where a template comes from: a file, or YAML text with the directory its relative paths resolve against.</summary>
/// <param name="Path">The template file, or, for inline text, a display name for diagnostics (e.g. <c>request.yaml</c>).</param>
/// <param name="Text">The YAML text, or <see langword="null"/> to read <paramref name="Path"/>.</param>
/// <param name="BaseDirectory">For inline text: where scripts and imports are resolved; for a file: its directory.</param>
public sealed record TemplateSource(string Path, string? Text, string BaseDirectory)
{
    /// <summary>A template file.</summary>
    /// <param name="path">The file's path (absolute or relative to the current directory).</param>
    /// <returns>The source.</returns>
    public static TemplateSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        return new(path, null, System.IO.Path.GetDirectoryName(full) ?? full);
    }

    /// <summary>A template given as text.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="baseDirectory">Where relative paths resolve.</param>
    /// <param name="displayName">The name diagnostics show for the text.</param>
    /// <returns>The source.</returns>
    public static TemplateSource FromText(string text, string baseDirectory, string displayName = "template.yaml")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);
        return new(displayName, text, System.IO.Path.GetFullPath(baseDirectory));
    }

    /// <summary>The deployment name derived from the template: its file name without extension, made a valid id.</summary>
    /// <returns>A name such as <c>webapp</c>.</returns>
    public string DefaultDeploymentName() => DeploymentNames.FromFileName(Path);
}
