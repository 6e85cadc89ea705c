using Orchestra.Application.Configuration;
using Orchestra.Application.Control;
using Orchestra.Application.Nodes;

namespace Orchestra.Application.Tests.Control;

/// <summary>The control socket: where it lives, who may open it, and what a node answers on it (real Unix domain sockets, a real SQLite store).</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ControlSocketTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-control-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private StoreOptions Store => new() { Directory = Path.Combine(_dir, "store") };

    [Fact]
    public void DirectoryFor_ASqliteStore_IsControlBesideTheDatabase()
    {
        Assert.Equal(Path.Combine(_dir, "store", "control"), ControlSocket.DirectoryFor(Store));
    }

    [Fact]
    public void DirectoryFor_AStoreTooDeepForASocketAddress_IsAHashedDirectoryOfTheStateDirectory()
    {
        var deep = new StoreOptions { Directory = Path.Combine(_dir, new string('d', 120)) };

        var directory = ControlSocket.DirectoryFor(deep);

        Assert.DoesNotContain(new string('d', 120), directory, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(ControlSocket.PathOf(directory, int.MaxValue)) <= 107, directory);
        Assert.Equal(directory, ControlSocket.DirectoryFor(deep));
    }

    [Fact]
    public async Task ANode_ServesItsSocketOwnerOnly_AnswersHello_RefusesToDriveAsACommand_AndRemovesItOnDispose()
    {
        var options = new OrchestraOptions { Store = Store };
        var directory = ControlSocket.DirectoryFor(options.Store);
        var socket = ControlSocket.PathOf(directory, Environment.ProcessId);
        await using (var node = await OrchestraNode.StartAsync(new OrchestraNodeSettings { Orchestra = options }))
        {
            Assert.True(File.Exists(socket), socket);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            Assert.Contains(Environment.ProcessId, ControlSocket.ListProcesses(directory));

            var (hello, _) = await ControlSocket.SendAsync(socket, new ControlRequest("hello"), options.Control, null, CancellationToken.None);
            var (drive, _) = await ControlSocket.SendAsync(socket, new ControlRequest("drive", "x"), options.Control, null, CancellationToken.None);
            var (act, _) = await ControlSocket.SendAsync(socket, new ControlRequest("act", "x", "Pause"), options.Control, null, CancellationToken.None);

            Assert.True(hello.Ok);
            Assert.Equal(Environment.ProcessId, hello.ProcessId);
            Assert.Equal("command", hello.Role);
            Assert.False(drive.Ok);
            Assert.Contains("not a server", drive.Error, StringComparison.Ordinal);
            Assert.False(act.Ok);
            Assert.Contains("does not drive deployment 'x'", act.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(socket), socket);
        await Assert.ThrowsAsync<ControlUnreachableException>(() =>
            ControlSocket.SendAsync(socket, new ControlRequest("hello"), options.Control, null, CancellationToken.None));
    }

    [Fact]
    public async Task TryForward_WhenNoOtherProcessHoldsTheLease_ReturnsNull()
    {
        await using var node = await OrchestraNode.StartAsync(new OrchestraNodeSettings { Orchestra = new OrchestraOptions { Store = Store } });

        Assert.Null(await node.TryForwardAsync("nobody", DeploymentAction.Pause, null, null, CancellationToken.None));
    }
}
