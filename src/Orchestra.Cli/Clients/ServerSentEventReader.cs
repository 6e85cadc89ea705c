using System.Runtime.CompilerServices;
using System.Text;

namespace Orchestra.Cli.Clients;

/// <summary>Reads a <c>text/event-stream</c>: yields its events; comments and <c>retry:</c> fields are skipped.</summary>
internal static class ServerSentEventReader
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var name = "message";
        string? id = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new(name, data.ToString(), id);
                }

                name = "message";
                id = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(line[5..].TrimStart());
            }
        }
    }
}

/// <summary>One Server-Sent Event.</summary>
/// <param name="Event">Its <c>event:</c> name (<c>message</c> when it has none).</param>
/// <param name="Data">Its <c>data:</c> lines, joined by line feeds.</param>
/// <param name="Id">Its <c>id:</c>, if it has one.</param>
internal sealed record ServerSentEvent(string Event, string Data, string? Id);
