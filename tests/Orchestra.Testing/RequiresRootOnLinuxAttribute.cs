namespace Orchestra.Testing;

/// <summary>A test needs root on Linux (to mount a tmpfs, for example).</summary>
/// <param name="purpose">What the test does with it, e.g. "mounting a tmpfs".</param>
public sealed class RequiresRootOnLinuxAttribute(string purpose) : RequirementAttribute
{
    /// <inheritdoc />
    public override string? FindUnmet() =>
        !OperatingSystem.IsLinux() ? $"{purpose} needs Linux"
        : !Environment.IsPrivilegedProcess ? $"{purpose} needs root (run the tests as root, as CI does)"
        : null;
}
