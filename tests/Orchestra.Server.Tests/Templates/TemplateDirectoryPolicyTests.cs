using Orchestra.Server.Templates;

namespace Orchestra.Server.Tests.Templates;

[Trait("Category", "Unit")]
public sealed class TemplateDirectoryPolicyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orchestra-policy-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private TemplateDirectoryPolicy Policy()
    {
        Directory.CreateDirectory(Path.Combine(_root, "templates", "webapp"));
        return new TemplateDirectoryPolicy([Path.Combine(_root, "templates")]);
    }

    [Fact]
    public void IsAllowed_FileInsideAnAllowedDirectory_IsTrue()
    {
        var policy = Policy();

        Assert.True(policy.IsAllowed(Path.Combine(_root, "templates", "webapp", "webapp.yaml")));
        Assert.True(policy.IsAllowed(Path.Combine(_root, "templates")));
    }

    [Fact]
    public void IsAllowed_DotDotEscape_IsFalse() =>
        Assert.False(Policy().IsAllowed(Path.Combine(_root, "templates", "..", "secrets.yaml")));

    [Fact]
    public void IsAllowed_SiblingWithTheSamePrefix_IsFalse() =>
        Assert.False(Policy().IsAllowed(Path.Combine(_root, "templates-evil", "x.yaml")));

    [Fact]
    public void IsAllowed_SymbolicLinkPointingOutside_IsFalse()
    {
        var policy = Policy();
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "evil.yaml"), "x");
        Directory.CreateSymbolicLink(Path.Combine(_root, "templates", "link"), outside);

        Assert.False(policy.IsAllowed(Path.Combine(_root, "templates", "link", "evil.yaml")));
    }

    [Fact]
    public void IsAllowed_LinkWhoseTargetLooksInsideButPassesThroughALinkOutside_IsFalse()
    {
        var policy = Policy();
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "evil.sh"), "x");
        Directory.CreateSymbolicLink(Path.Combine(_root, "templates", "inner"), outside);
        File.CreateSymbolicLink(Path.Combine(_root, "templates", "entry.sh"), Path.Combine(_root, "templates", "inner", "evil.sh"));

        Assert.False(policy.IsAllowed(Path.Combine(_root, "templates", "entry.sh")));
    }

    [Fact]
    public void RefusalMessage_NamesTheAllowedDirectories()
    {
        var policy = Policy();

        var message = policy.RefusalMessage("/etc/passwd");

        Assert.Contains("/etc/passwd", message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root, "templates"), message, StringComparison.Ordinal);
    }
}
