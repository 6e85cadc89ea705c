using Orchestra.Application.Security;

namespace Orchestra.Application.Tests.Security;

[Trait("Category", "Unit")]
public sealed class ListenAddressPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.2:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("https://127.0.0.1:5443/")]
    public void Check_LoopbackWithoutToken_IsAllowed(string url) => Assert.Null(ListenAddressPolicy.Check([url], hasBearerToken: false));

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://192.168.1.10:5080")]
    [InlineData("http://orchestra.example:5080")]
    public void Check_NonLoopbackWithoutToken_IsRefusedWithAClearMessage(string url)
    {
        var refusal = ListenAddressPolicy.Check([url], hasBearerToken: false);

        Assert.NotNull(refusal);
        Assert.Contains(url, refusal, StringComparison.Ordinal);
        Assert.Contains("BearerToken", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NonLoopbackWithToken_IsAllowed() => Assert.Null(ListenAddressPolicy.Check(["http://0.0.0.0:5080"], hasBearerToken: true));

    [Fact]
    public void Check_OneExposedAmongLoopback_IsRefused() =>
        Assert.NotNull(ListenAddressPolicy.Check(ListenAddressPolicy.Split("http://127.0.0.1:1;http://0.0.0.0:2"), hasBearerToken: false));

    [Theory]
    [InlineData("")]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("not a url")]
    public void Check_MalformedOrEmpty_IsRefused(string urls) => Assert.NotNull(ListenAddressPolicy.Check(ListenAddressPolicy.Split(urls), hasBearerToken: true));
}
