using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Orchestra.Server.Hosting;
using Orchestra.Server.Tests.Api;

namespace Orchestra.Server.Tests.Security;

/// <summary>Token by default: the generated token file, its permissions, and the explicit anonymous-loopback opt-out.</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuthenticationTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateTempSubdirectory("orchestra-auth-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string TokenFile => ApiHost.TokenFileIn(_root);

    [Fact]
    public async Task Request_WithoutToken_ByDefault_Is401WithBearerChallenge()
    {
        await using var host = await ApiHost.StartAsync(root: _root);
        using var anonymous = host.CreateAnonymousClient();

        var response = await anonymous.GetAsync("/api/deployments");

        await ApiTests.ProblemAsync(response, HttpStatusCode.Unauthorized, "urn:orchestra:problem:unauthorized");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/deployments")).StatusCode);
    }

    [Fact]
    public async Task TokenFile_AtFirstStart_IsOwnerOnly_AndTheSameTokenServesTheNextStart()
    {
        string first;
        await using (var host = await ApiHost.StartAsync(root: _root))
        {
            first = (await File.ReadAllTextAsync(TokenFile)).Trim();
        }

        await using var again = await ApiHost.StartAsync(root: _root);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(TokenFile));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(TokenFile)!));
        Assert.True(first.Length >= 32, first);
        Assert.Equal(first, (await File.ReadAllTextAsync(TokenFile)).Trim());
        Assert.Equal(HttpStatusCode.OK, (await again.Client.GetAsync("/api/deployments")).StatusCode);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.OtherWrite)]
    public async Task TokenFile_OpenToOthers_IsRefusedAtStart(UnixFileMode extra)
    {
        WriteTokenFile("an-existing-token-someone-could-read-0123456789", OwnerReadWrite | extra);

        var refusal = await Assert.ThrowsAsync<OrchestraStartupException>(() => ApiHost.StartAsync(root: _root));

        Assert.Contains(TokenFile, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("0600", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenDirectory_OpenToOthers_IsRefusedAtStart()
    {
        WriteTokenFile("an-existing-token-in-an-open-directory-0123456789", OwnerReadWrite);
        File.SetUnixFileMode(Path.GetDirectoryName(TokenFile)!, OwnerOnlyDirectory | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var refusal = await Assert.ThrowsAsync<OrchestraStartupException>(() => ApiHost.StartAsync(root: _root));

        Assert.Contains("0700", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenFile_OwnedBySomeoneElse_IsRefusedAtStart()
    {
        WriteTokenFile("a-token-planted-by-another-user-0123456789", OwnerReadWrite);
        // Giving a file away needs root (which CI and this machine run as); as anyone else the planted file is owned by us.
        if (Environment.UserName != "root")
        {
            return;
        }

        using (var chown = Process.Start("chown", ["65534", TokenFile]))
        {
            await chown.WaitForExitAsync();
            Assert.Equal(0, chown.ExitCode);
        }

        var refusal = await Assert.ThrowsAsync<OrchestraStartupException>(() => ApiHost.StartAsync(root: _root));

        Assert.Contains("owned by", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousLoopback_ExplicitlyAllowed_ServesWithoutToken_AndWritesNoTokenFile()
    {
        await using var host = await ApiHost.StartAsync(root: _root, settings: new Dictionary<string, string?> { ["Orchestra:Server:AllowAnonymousLoopback"] = "true" });
        using var anonymous = host.CreateAnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/deployments")).StatusCode);
        Assert.False(File.Exists(TokenFile));
    }

    [Fact]
    public async Task ConfiguredToken_WinsOverTheGeneratedOne_AndWritesNoTokenFile()
    {
        await using var host = await ApiHost.StartAsync(token: "configured-token", root: _root);
        using var anonymous = host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/deployments") { Headers = { { "Authorization", "Bearer configured-token" } } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(request)).StatusCode);
        Assert.False(File.Exists(TokenFile));
    }

    [Fact]
    public async Task SignInCodes_IssuedToTheTokenHolder_OpenOneSession_AndNotToAnonymous()
    {
        await using var host = await ApiHost.StartAsync(root: _root);
        using var anonymous = host.CreateAnonymousClient();

        var issued = await host.Client.PostAsync("/api/signin-codes", null);
        var url = new Uri((await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("url").GetString()!);
        var signIn = await anonymous.GetAsync(url.PathAndQuery);
        var replay = await anonymous.GetAsync(url.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Contains("httponly", Assert.Single(signIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        await ApiTests.ProblemAsync(replay, HttpStatusCode.Unauthorized, "urn:orchestra:problem:signin-code-invalid");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/signin-codes", null)).StatusCode);
    }

    private void WriteTokenFile(string token, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(TokenFile)!, OwnerOnlyDirectory);
        File.WriteAllText(TokenFile, token);
        File.SetUnixFileMode(TokenFile, mode);
    }
}
