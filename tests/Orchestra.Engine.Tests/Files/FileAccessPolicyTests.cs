using Orchestra.Engine.Files;

namespace Orchestra.Engine.Tests.Files;

[Trait("Category", "Unit")]
public sealed class FileAccessPolicyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orchestra-files-").FullName;

    public FileAccessPolicyTests()
    {
        Allowed = Directory.CreateDirectory(Path.Combine(_root, "allowed")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
    }

    private string Allowed { get; }

    private string Outside { get; }

    private FileAccessPolicy Policy => FileAccessPolicy.Within([Allowed]);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Allows_PathsInsideARoot_AndTheRootItself()
    {
        Assert.True(Policy.Allows(Path.Combine(Allowed, "a", "b.yaml")));
        Assert.True(Policy.Allows(Allowed));
    }

    [Fact]
    public void Allows_DotDotOutOfTheRoot_IsFalse() =>
        Assert.False(Policy.Allows(Path.Combine(Allowed, "..", "outside", "x.sh")));

    [Fact]
    public void Allows_SiblingWithTheSamePrefix_IsFalse() =>
        Assert.False(Policy.Allows(Allowed + "-evil/x.sh"));

    [Fact]
    public void Allows_LinkToATargetThatLooksInsideButPassesThroughALinkOutside_IsFalse()
    {
        // allowed/inner -> outside; allowed/entry -> allowed/inner/x.sh: the target's text is inside, where it leads is not.
        Directory.CreateSymbolicLink(Path.Combine(Allowed, "inner"), Outside);
        File.WriteAllText(Path.Combine(Outside, "x.sh"), "#!/bin/bash\n");
        File.CreateSymbolicLink(Path.Combine(Allowed, "entry"), Path.Combine(Allowed, "inner", "x.sh"));

        Assert.False(Policy.Allows(Path.Combine(Allowed, "entry")));
        Assert.Equal(Path.Combine(Outside, "x.sh"), FileAccessPolicy.RealPath(Path.Combine(Allowed, "entry")));
    }

    [Fact]
    public void Allows_RelativeLinkWhoseDotDotClimbsFromItsPhysicalDirectory_IsFalse()
    {
        // allowed/deep -> outside/sub; allowed/deep/../../escape.sh is, physically, _root/escape.sh... only once links are resolved.
        var sub = Directory.CreateDirectory(Path.Combine(Outside, "sub")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(Allowed, "deep"), sub);
        File.CreateSymbolicLink(Path.Combine(Allowed, "up"), "deep/../x.sh");

        Assert.Equal(Path.Combine(Outside, "x.sh"), FileAccessPolicy.RealPath(Path.Combine(Allowed, "up")));
        Assert.False(Policy.Allows(Path.Combine(Allowed, "up")));
    }

    [Fact]
    public void Allows_LinkLoop_IsFalse()
    {
        File.CreateSymbolicLink(Path.Combine(Allowed, "a"), Path.Combine(Allowed, "b"));
        File.CreateSymbolicLink(Path.Combine(Allowed, "b"), Path.Combine(Allowed, "a"));

        Assert.Null(FileAccessPolicy.RealPath(Path.Combine(Allowed, "a", "x")));
        Assert.False(Policy.Allows(Path.Combine(Allowed, "a", "x")));
    }

    [Fact]
    public void Unrestricted_AllowsALinkLoop_LeavingItToTheOpen()
    {
        File.CreateSymbolicLink(Path.Combine(Allowed, "a"), Path.Combine(Allowed, "a"));

        Assert.True(FileAccessPolicy.Unrestricted.Allows(Path.Combine(Allowed, "a")));
        Assert.Equal(FileReadStatus.Unreadable, FileAccessPolicy.Unrestricted.ReadFile(Path.Combine(Allowed, "a"), 10).Status);
    }

    [Fact]
    public void Allows_MissingTailUnderALinkOutside_IsFalse()
    {
        Directory.CreateSymbolicLink(Path.Combine(Allowed, "out"), Outside);

        Assert.False(Policy.Allows(Path.Combine(Allowed, "out", "not", "yet", "there.sh")));
    }

    [Fact]
    public void Roots_AreResolvedThroughTheirOwnLinks()
    {
        var link = Path.Combine(_root, "allowed-link");
        Directory.CreateSymbolicLink(link, Allowed);

        var policy = FileAccessPolicy.Within([link]);

        Assert.Equal([Allowed], policy.Roots);
        Assert.True(policy.Allows(Path.Combine(Allowed, "x.yaml")));
        Assert.True(policy.Allows(Path.Combine(link, "x.yaml")));
    }

    [Fact]
    public void Unrestricted_AllowsAnything_AndNoRootsAllowNothing()
    {
        Assert.True(FileAccessPolicy.Unrestricted.Allows("/etc/shadow"));
        Assert.False(FileAccessPolicy.Within([]).Allows(Allowed));
    }

    [Fact]
    public void ReadFile_RegularFileWithinTheLimit_IsRead()
    {
        var path = Path.Combine(Allowed, "t.yaml");
        File.WriteAllText(path, "0123456789");

        var read = Policy.ReadFile(path, 10);

        Assert.Equal(FileReadStatus.Read, read.Status);
        Assert.Equal("0123456789"u8.ToArray(), read.Content);
    }

    [Fact]
    public void ReadFile_RegularFileOverTheLimit_IsTooLarge_WithItsSize()
    {
        var path = Path.Combine(Allowed, "t.yaml");
        File.WriteAllText(path, "0123456789");

        var read = Policy.ReadFile(path, 9);

        Assert.Equal(FileReadStatus.TooLarge, read.Status);
        Assert.Equal(10, read.Length);
    }

    [Fact]
    public void ReadFile_ProcFileThatReportsZeroBytes_StopsOneBytePastTheLimit()
    {
        var read = FileAccessPolicy.Unrestricted.ReadFile("/proc/self/maps", 64);

        Assert.Equal(FileReadStatus.TooLarge, read.Status);
        Assert.Null(read.Length);
    }

    [Fact]
    public void ReadFile_CharacterDeviceOrDirectory_IsNotARegularFile()
    {
        var zero = FileAccessPolicy.Unrestricted.ReadFile("/dev/zero", 1024);
        var directory = Policy.ReadFile(Allowed, 1024);

        Assert.Equal((FileReadStatus.NotRegularFile, "a character device"), (zero.Status, zero.Kind));
        Assert.Equal((FileReadStatus.NotRegularFile, "a directory"), (directory.Status, directory.Kind));
    }

    [Fact]
    public void ReadFile_OutsideTheRoots_IsNotAllowed_EvenWhenItExists()
    {
        var path = Path.Combine(Outside, "secret");
        File.WriteAllText(path, "s3cr3t");
        Directory.CreateSymbolicLink(Path.Combine(Allowed, "out"), Outside);

        Assert.Equal(FileReadStatus.NotAllowed, Policy.ReadFile(path, 1024).Status);
        Assert.Equal(FileReadStatus.NotAllowed, Policy.ReadFile(Path.Combine(Allowed, "out", "secret"), 1024).Status);
        Assert.Equal(FileReadStatus.NotAllowed, Policy.ReadFile(Path.Combine(Outside, "missing"), 1024).Status);
    }

    [Fact]
    public void ReadFile_Missing_IsNotFound() =>
        Assert.Equal(FileReadStatus.NotFound, Policy.ReadFile(Path.Combine(Allowed, "missing.yaml"), 1024).Status);
}
