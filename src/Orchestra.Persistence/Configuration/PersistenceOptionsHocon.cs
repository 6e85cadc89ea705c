using System.Globalization;
using System.Text;
using Akka.Configuration;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Configuration;

/// <summary>
/// Reads and writes the HOCON keys every Orchestra plugin shares (the group-commit settings of
/// <see cref="PersistenceOptions"/>); a backend adds its own keys.
/// </summary>
/// <remarks>
/// Keys: <c>max-batch-size</c>, <c>write-queue-capacity</c>, <c>read-page-size</c>, <c>shutdown-timeout</c>, and the
/// <c>circuit-breaker</c> derived from the store's own timeout (see <see cref="Write"/>). A key
/// that is absent keeps the option's documented default. The clock is not configurable by HOCON: plugins use
/// <see cref="TimeProvider.System"/>.
/// </remarks>
public static class PersistenceOptionsHocon
{
    /// <summary>Copies the shared keys found in <paramref name="config"/> onto <paramref name="options"/>.</summary>
    /// <param name="config">The plugin's configuration section.</param>
    /// <param name="options">The options to fill (their defaults stay where a key is absent).</param>
    public static void Read(Config config, PersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        options.MaxBatchSize = config.GetInt("max-batch-size", options.MaxBatchSize);
        options.WriteQueueCapacity = config.GetInt("write-queue-capacity", options.WriteQueueCapacity);
        options.ReadPageSize = config.GetInt("read-page-size", options.ReadPageSize);
        options.ShutdownTimeout = config.GetTimeSpan("shutdown-timeout", options.ShutdownTimeout, allowInfinite: false);
    }

    /// <summary>
    /// Appends the shared keys of <paramref name="options"/> as HOCON lines, and Akka's <c>circuit-breaker</c> for a
    /// store whose own operations give up after <paramref name="storeTimeout"/>.
    /// </summary>
    /// <remarks>
    /// Akka's default breaker fails a write after 10 s, whatever the store is doing: a disk stalled by a flush for
    /// that long made the journal report a write as failed (its actor stops) while the database was still going to
    /// commit it. The breaker here waits for the store to give its own verdict first: <see cref="BreakerCallTimeout"/>.
    /// </remarks>
    /// <param name="hocon">The builder of the plugin's section.</param>
    /// <param name="options">The options to write.</param>
    /// <param name="storeTimeout">How long one store operation may take before the store itself fails it (a command
    /// timeout, a busy timeout).</param>
    public static void Write(StringBuilder hocon, PersistenceOptions options, TimeSpan storeTimeout)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        ArgumentNullException.ThrowIfNull(options);
        var callTimeout = BreakerCallTimeout(storeTimeout);
        hocon.Append(CultureInfo.InvariantCulture, $"  circuit-breaker {{\n    max-failures = 10\n    call-timeout = {(long)callTimeout.TotalMilliseconds}ms\n    reset-timeout = 30s\n  }}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  max-batch-size = {options.MaxBatchSize}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  write-queue-capacity = {options.WriteQueueCapacity}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  read-page-size = {options.ReadPageSize}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  shutdown-timeout = {(long)options.ShutdownTimeout.TotalMilliseconds}ms\n");
    }

    /// <summary>
    /// The breaker's call timeout for a store whose operations time out after <paramref name="storeTimeout"/>: a write
    /// may take two store operations (the group commit, then the per-write verdicts when one is rejected) after waiting
    /// in the queue, so the breaker allows three, and never less than Akka's default of 10 s.
    /// </summary>
    /// <param name="storeTimeout">The store's own timeout of one operation.</param>
    public static TimeSpan BreakerCallTimeout(TimeSpan storeTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(storeTimeout, TimeSpan.Zero);
        var threeOperations = storeTimeout * 3;
        return threeOperations < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : threeOperations;
    }

    /// <summary>Quotes <paramref name="value"/> as a HOCON string.</summary>
    /// <param name="value">The text.</param>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// The HOCON that declares a journal and a snapshot-store plugin under <paramref name="pluginId"/> with the same
    /// <paramref name="body"/>, and optionally makes them the default plugins.
    /// </summary>
    /// <param name="pluginId">The plugin name: <c>akka.persistence.journal.&lt;id&gt;</c> and <c>akka.persistence.snapshot-store.&lt;id&gt;</c>.</param>
    /// <param name="journalClass">The assembly-qualified journal plugin type.</param>
    /// <param name="snapshotClass">The assembly-qualified snapshot plugin type.</param>
    /// <param name="body">The backend's keys (one per line, indented).</param>
    /// <param name="isDefault">Whether the plugins become <c>akka.persistence.journal.plugin</c> and <c>snapshot-store.plugin</c>.</param>
    public static Config PluginPair(string pluginId, Type journalClass, Type snapshotClass, string body, bool isDefault)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        ArgumentNullException.ThrowIfNull(journalClass);
        ArgumentNullException.ThrowIfNull(snapshotClass);
        var hocon = new StringBuilder();
        hocon.Append(CultureInfo.InvariantCulture, $"akka.persistence.journal.{pluginId} {{\n  class = {Quote(ClassName(journalClass))}\n  plugin-dispatcher = \"akka.actor.default-dispatcher\"\n{body}}}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"akka.persistence.snapshot-store.{pluginId} {{\n  class = {Quote(ClassName(snapshotClass))}\n  plugin-dispatcher = \"akka.actor.default-dispatcher\"\n{body}}}\n");
        if (isDefault)
        {
            hocon.Append(CultureInfo.InvariantCulture, $"akka.persistence.journal.plugin = \"akka.persistence.journal.{pluginId}\"\n");
            hocon.Append(CultureInfo.InvariantCulture, $"akka.persistence.snapshot-store.plugin = \"akka.persistence.snapshot-store.{pluginId}\"\n");
        }

        return ConfigurationFactory.ParseString(hocon.ToString());
    }

    private static string ClassName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
