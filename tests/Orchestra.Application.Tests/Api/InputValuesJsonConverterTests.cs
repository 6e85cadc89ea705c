using System.Text.Json;
using Orchestra.Application.Api;

namespace Orchestra.Application.Tests.Api;

/// <summary>The <c>inputs</c> of a request body: JSON values of any kind, kept as the text the compiler converts to the declared types.</summary>
[Trait("Category", "Unit")]
public sealed class InputValuesJsonConverterTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Inputs_OfEveryJsonKind_AreReadAsTheirText()
    {
        var body = JsonSerializer.Deserialize<SubmitDeploymentRequest>(
            """{"inputs": {"name": "web", "port": 8080, "ratio": 0.5, "debug": true, "quiet": false, "tags": ["a", "b"], "limits": {"cpu": 2}}}""", Web)!;

        Assert.Equal(new Dictionary<string, string>
        {
            ["name"] = "web",
            ["port"] = "8080",
            ["ratio"] = "0.5",
            ["debug"] = "true",
            ["quiet"] = "false",
            ["tags"] = """["a","b"]""",
            ["limits"] = """{"cpu":2}""",
        }, body.Inputs);
    }

    [Fact]
    public void AnInputSetToNull_IsRefusedNamingIt()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SubmitDeploymentRequest>("""{"inputs": {"port": null}}""", Web));

        Assert.Contains("input 'port' is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_WrittenThenRead_AreUnchanged()
    {
        var request = new SubmitDeploymentRequest { Inputs = new() { ["port"] = "8080", ["tags"] = """["a"]""" } };

        var again = JsonSerializer.Deserialize<SubmitDeploymentRequest>(JsonSerializer.Serialize(request, Web), Web)!;

        Assert.Equal(request.Inputs, again.Inputs);
    }
}
