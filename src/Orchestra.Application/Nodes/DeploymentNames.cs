using System.Text;

namespace Orchestra.Application.Nodes;

/// <summary>
/// Deployment names (ids): 1 to 128 characters among letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, not only dots (<c>.</c> and
/// <c>..</c> are path segments that a URL resolves away, so such a deployment could never be addressed).
/// </summary>
public static class DeploymentNames
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 128;

    /// <summary>Whether <paramref name="name"/> is a valid deployment name.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name.All(IsAllowed) && !name.All(static c => c == '.');

    /// <summary>The message for an invalid name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>What is wrong and what is allowed.</returns>
    public static string InvalidMessage(string? name) =>
        $"'{name}' is not a valid deployment name: use 1 to {MaxLength} letters, digits, '-', '_' or '.', not only dots.";

    /// <summary>Derives a name from a template file name: <c>config/templates/webapp/webapp.yaml</c> gives <c>webapp</c>.</summary>
    /// <param name="path">The template's path.</param>
    /// <returns>A valid name (<c>deployment</c> if nothing usable remains).</returns>
    public static string FromFileName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path ?? string.Empty);
        var builder = new StringBuilder(stem.Length);
        foreach (var c in stem)
        {
            builder.Append(IsAllowed(c) ? c : '-');
        }

        var name = builder.ToString().Trim('-', '.');
        if (name.Length > MaxLength)
        {
            name = name[..MaxLength];
        }

        return name.Length == 0 ? "deployment" : name;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
