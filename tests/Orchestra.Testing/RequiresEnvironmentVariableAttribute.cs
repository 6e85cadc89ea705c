namespace Orchestra.Testing;

/// <summary>A test needs an environment variable to be set (to a non-empty value).</summary>
/// <param name="name">The environment variable.</param>
/// <param name="meaning">What it holds and where to get one, shown after the name when it is unset.</param>
public class RequiresEnvironmentVariableAttribute(string name, string meaning) : RequirementAttribute
{
    /// <summary>The environment variable.</summary>
    public string Name { get; } = name;

    /// <summary>Whether the variable is set to a non-empty value now.</summary>
    public static bool IsSet(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));

    /// <inheritdoc />
    public override string? FindUnmet() => IsSet(Name) ? null : $"{Name} is not set ({meaning})";
}
