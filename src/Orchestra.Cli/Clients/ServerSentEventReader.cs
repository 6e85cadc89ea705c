using System.Runtime.CompilerServices;
using System.Text;

namespace Orchestra.Cli.Clients;

/// <summary>Reads a <c>text/event-stream</c>: yields (event name, data) pairs; comments and ids are skipped.</summary>
internal static class ServerSentEventReader
{
    public static async IAsyncEnumerable<(string Event, string Data)> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var name = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return (name, data.ToString());
                }

                name = "message";
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
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
