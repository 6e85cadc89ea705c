using System.Text.Json;
using Orchestra.Cli.Clients;

namespace Orchestra.Cli.Output;

/// <summary>
/// What <c>--json</c> prints: one JSON document on stdout, indented, camelCase, enums as names (the API's own shapes), nothing else
/// on stdout. Every command that prints data takes <c>--json</c> (<see cref="Commands.GlobalOptions.Json"/>) and prints through
/// <see cref="Write{T}"/>; diagnostics and errors stay on stderr, and the exit code is the same as without it.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Prints <paramref name="value"/> as the command's JSON document.</summary>
    public static void Write<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, CliJson.Indented));
}
