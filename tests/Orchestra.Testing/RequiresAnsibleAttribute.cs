namespace Orchestra.Testing;

/// <summary>A test runs real playbooks with Debian's <c>ansible-playbook</c> (<see cref="Path"/>).</summary>
public sealed class RequiresAnsibleAttribute : RequirementAttribute
{
    /// <summary>Where the test expects the program, the engine's default (<c>EngineOptions.AnsiblePlaybookPath</c>).</summary>
    public const string Path = "/usr/bin/ansible-playbook";

    /// <inheritdoc />
    public override string? FindUnmet() =>
        File.Exists(Path) ? null : $"{Path} is missing (Debian package ansible; .ci/run installs it)";
}
