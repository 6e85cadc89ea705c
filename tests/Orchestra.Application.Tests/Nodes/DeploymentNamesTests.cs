using Orchestra.Application.Nodes;


namespace Orchestra.Application.Tests.Nodes;

[Trait("Category", "Unit")]
public sealed class DeploymentNamesTests
{
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("....")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a\0b")]
    public void IsValid_NamesAUrlCannotAddress_AreRefused(string name) => Assert.False(DeploymentNames.IsValid(name));

    [Theory]
    [InlineData("webapp")]
    [InlineData(".hidden")]
    [InlineData("v1..2")]
    [InlineData("a.")]
    public void IsValid_DotsBesideOtherCharacters_AreAccepted(string name) => Assert.True(DeploymentNames.IsValid(name));

    [Theory]
    [InlineData("config/..yaml", "deployment")]
    [InlineData("/x/....yaml", "deployment")]
    public void FromFileName_NeverDerivesADotOnlyName(string path, string expected)
    {
        Assert.Equal(expected, DeploymentNames.FromFileName(path));
        Assert.True(DeploymentNames.IsValid(DeploymentNames.FromFileName(path)));
    }
}
