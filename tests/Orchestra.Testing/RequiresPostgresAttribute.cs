namespace Orchestra.Testing;

/// <summary>A test needs the PostgreSQL server named by <see cref="Variable"/>.</summary>
public sealed class RequiresPostgresAttribute() : RequiresEnvironmentVariableAttribute(Variable, "a PostgreSQL connection string; .ci/run starts a server")
{
    /// <summary>The environment variable that holds the connection string.</summary>
    public const string Variable = "ORCHESTRA_TEST_POSTGRES";

    /// <summary>The connection string.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Variable"/> is not set.</exception>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set.");
}
