using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestra.Application.Api;

namespace Orchestra.Server.Tests.Api;

/// <summary>
/// docs/http-api.md against the server: every documented example (an <c>http</c> request block and the response block after it) is
/// sent, in order, to a real server, and must get the documented status, headers and body; the error table must list exactly the
/// problem types the API has, and every example's problem must be a row of it. So the documentation and the server cannot drift.
/// </summary>
/// <remarks>
/// In a response body, <c>...</c> stands for anything: as a JSON value, any value; inside a string, any text; as a line of an event
/// stream, any lines. A JSON body matches when every documented property is there with a matching value (more may be). A request
/// without an <c>Authorization</c> header is sent with the server's token (<c>Authorization: none</c>: with no token at all). <c>{templates}</c> is the server's template directory, where
/// each <c>yaml file=NAME</c> block of the page is written first.
/// </remarks>
[Trait("Category", "Integration")]
public sealed partial class DocumentedExamplesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string DocumentPath => Path.Combine(RepositoryRoot(), "docs", "http-api.md");

    [Fact]
    public async Task DocumentedExamples_AgainstTheServer_GetTheDocumentedResponses()
    {
        var markdown = await File.ReadAllTextAsync(DocumentPath);
        var examples = Examples(markdown);
        Assert.True(examples.Count >= 10, $"docs/http-api.md has only {examples.Count} request/response examples");
        await using var host = await ApiHost.StartAsync();
        foreach (Match file in FileBlock().Matches(markdown.ReplaceLineEndings("\n")))
        {
            host.WriteTemplate(file.Groups[1].Value, file.Groups[2].Value);
        }

        foreach (var example in examples)
        {
            using var request = example.Request.ToMessage(host.Templates);
            var client = example.Request.Headers.ContainsKey("Authorization") ? host.CreateAnonymousClient() : host.Client;
            using var timeout = new CancellationTokenSource(Patience);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var where = $"docs/http-api.md:{example.Line}: {example.Request.Method} {example.Request.Path}\n--- got {(int)response.StatusCode} ---\n{body}";

            Assert.True(example.Status == (int)response.StatusCode, where);
            foreach (var (name, value) in example.ResponseHeaders)
            {
                var actual = name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                    ? response.Content.Headers.ContentType?.MediaType
                    : response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
                Assert.True(actual is not null && TextMatches(value, actual), $"{where}\nheader {name}: expected '{value}', got '{actual}'");
            }

            if (example.ResponseBody.Length == 0)
            {
                continue;
            }

            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                Assert.True(LinesMatch(example.ResponseBody.Split('\n'), body.Split('\n')), where);
            }
            else
            {
                using var expected = JsonDocument.Parse(example.ResponseBody);
                using var actual = JsonDocument.Parse(body);
                Assert.True(JsonMatches(expected.RootElement, actual.RootElement, out var path), $"{where}\nfirst difference at {path}");
            }
        }
    }

    [Fact]
    public async Task ErrorTable_ListsExactlyTheApiProblemTypes_AndEveryExampleProblemIsARowOfIt()
    {
        var text = await File.ReadAllTextAsync(DocumentPath);
        var rows = ErrorRow().Matches(text).Select(m => (Status: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Type: m.Groups[2].Value)).ToHashSet();
        var constants = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToHashSet();

        Assert.Equal(constants.Order(), rows.Select(r => r.Type).Distinct().Order());
        foreach (var example in Examples(text))
        {
            if (example.ResponseBody.Length > 0 && example.ResponseHeaders.GetValueOrDefault("Content-Type") == "application/problem+json")
            {
                using var problem = JsonDocument.Parse(example.ResponseBody);
                var type = problem.RootElement.GetProperty("type").GetString()!;
                Assert.True(rows.Contains((example.Status, type)), $"docs/http-api.md:{example.Line}: {example.Status} {type} is not a row of the error table");
                Assert.Equal(example.Status, problem.RootElement.GetProperty("status").GetInt32());
            }
        }
    }

    [GeneratedRegex(@"^\| (\d{3}) \| `(urn:orchestra:problem:[a-z-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ErrorRow();

    [GeneratedRegex(@"^```yaml file=([\w.-]+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    [GeneratedRegex(@"^```http\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex HttpBlock();

    private static List<Example> Examples(string markdown)
    {
        markdown = markdown.ReplaceLineEndings("\n");
        var examples = new List<Example>();
        HttpRequestBlock? pending = null;
        foreach (Match block in HttpBlock().Matches(markdown))
        {
            var line = markdown[..block.Index].Count(c => c == '\n') + 1;
            var (first, headers, body) = Split(block.Groups[1].Value);
            if (first.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                Assert.True(pending is not null, $"docs/http-api.md:{line}: a response without a request before it");
                examples.Add(new Example(line, pending!, int.Parse(first.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, body));
                pending = null;
            }
            else
            {
                Assert.True(pending is null, $"docs/http-api.md:{line}: two requests in a row");
                var parts = first.Split(' ', 2);
                pending = new HttpRequestBlock(parts[0], parts[1], headers, body);
            }
        }

        Assert.True(pending is null, "docs/http-api.md: the last request has no response");
        return examples;
    }

    private static (string First, Dictionary<string, string> Headers, string Body) Split(string block)
    {
        var lines = block.TrimEnd('\n').Split('\n');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
        }

        return (lines[0].Trim(), headers, string.Join('\n', lines.Skip(i + 1)).Trim());
    }

    private static bool JsonMatches(JsonElement expected, JsonElement actual, out string path)
    {
        path = "$";
        return Matches(expected, actual, ref path);
    }

    private static bool Matches(JsonElement expected, JsonElement actual, ref string path)
    {
        if (expected.ValueKind == JsonValueKind.String && expected.GetString() == "...")
        {
            return true;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                foreach (var property in expected.EnumerateObject())
                {
                    var here = $"{path}.{property.Name}";
                    if (!actual.TryGetProperty(property.Name, out var value) || !Matches(property.Value, value, ref here))
                    {
                        path = here;
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() < expected.GetArrayLength())
                {
                    return false;
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    var here = $"{path}[{i}]";
                    if (!Matches(expected[i], actual[i], ref here))
                    {
                        path = here;
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                return actual.ValueKind == JsonValueKind.String && TextMatches(expected.GetString()!, actual.GetString()!);
            default:
                return expected.GetRawText() == actual.GetRawText();
        }
    }

    // "a...b" matches text that starts with a and ends with b; "..." alone matches anything.
    private static bool TextMatches(string expected, string actual)
    {
        var parts = expected.Split("...");
        if (parts.Length == 1)
        {
            return expected == actual;
        }

        if (!actual.StartsWith(parts[0], StringComparison.Ordinal) || !actual.EndsWith(parts[^1], StringComparison.Ordinal) || actual.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        foreach (var part in parts[1..^1])
        {
            var found = actual.IndexOf(part, at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + part.Length;
        }

        return at <= actual.Length - parts[^1].Length;
    }

    // The documented lines, in order, among the actual ones ("..." skips any number of lines).
    private static bool LinesMatch(string[] expected, string[] actual)
    {
        var at = 0;
        foreach (var line in expected.Select(l => l.TrimEnd()).Where(l => l.Length > 0 && l != "..."))
        {
            while (at < actual.Length && !TextMatches(line, actual[at].TrimEnd()))
            {
                at++;
            }

            if (at++ >= actual.Length)
            {
                return false;
            }
        }

        return true;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find Orchestra.sln above " + AppContext.BaseDirectory);
    }

    private sealed record HttpRequestBlock(string Method, string Path, Dictionary<string, string> Headers, string Body)
    {
        public HttpRequestMessage ToMessage(string templates)
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), Path.Replace("{templates}", templates, StringComparison.Ordinal));
            if (Body.Length > 0)
            {
                message.Content = new StringContent(Body.Replace("{templates}", templates, StringComparison.Ordinal), Encoding.UTF8);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(Headers.GetValueOrDefault("Content-Type") ?? "application/json");
            }

            foreach (var (name, value) in Headers)
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && value == "none"))
                {
                    continue;
                }

                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                {
                    message.Headers.Host = value;
                }
                else
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return message;
        }
    }

    private sealed record Example(int Line, HttpRequestBlock Request, int Status, Dictionary<string, string> ResponseHeaders, string ResponseBody);
}
