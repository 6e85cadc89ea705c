using System.Text.RegularExpressions;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Postgres;

/// <summary>Settings of the PostgreSQL stores (<see cref="PostgresPersistence"/>).</summary>
public sealed partial class PostgresPersistenceOptions : PersistenceOptions
{
    /// <summary>The Npgsql connection string (ignored when a data source is passed to <see cref="PostgresPersistence.OpenAsync"/>).</summary>
    /// <value>The default is empty: it must be set.</value>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema holding the tables, created on first use. Tests use one schema per test class to isolate
    /// themselves. Lower-case letters, digits and underscores, starting with a letter or underscore.
    /// </summary>
    /// <value>The default is <c>orchestra</c>.</value>
    public string Schema { get; set; } = "orchestra";

    /// <summary>The timeout of each SQL command.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (!SchemaName().IsMatch(Schema ?? string.Empty))
        {
            throw new ArgumentException($"The schema name '{Schema}' must match {SchemaName()}.", nameof(Schema));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CommandTimeout, TimeSpan.Zero, nameof(CommandTimeout));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
