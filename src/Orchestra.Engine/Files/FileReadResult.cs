namespace Orchestra.Engine.Files;

/// <summary>How reading a file through <see cref="FileAccessPolicy.ReadFile"/> ended.</summary>
public enum FileReadStatus
{
    /// <summary>The file was read whole; <see cref="FileReadResult.Content"/> holds it.</summary>
    Read,

    /// <summary>There is no such file.</summary>
    NotFound,

    /// <summary>The path leads outside the policy's roots; the file was not opened.</summary>
    NotAllowed,

    /// <summary>The path is a FIFO, a device, a socket or a directory; <see cref="FileReadResult.Kind"/> says which.</summary>
    NotRegularFile,

    /// <summary>The file holds more than the limit; no more than the limit and one byte were read.</summary>
    TooLarge,

    /// <summary>The system refused to open or read it; <see cref="FileReadResult.Error"/> says why.</summary>
    Unreadable,
}

/// <summary>The outcome of <see cref="FileAccessPolicy.ReadFile"/>: the content, or why there is none.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Content">The bytes, when <paramref name="Status"/> is <see cref="FileReadStatus.Read"/>.</param>
/// <param name="Kind">For <see cref="FileReadStatus.NotRegularFile"/>: what the path is (<c>a FIFO</c>, <c>a character device</c>, ...).</param>
/// <param name="Length">For <see cref="FileReadStatus.TooLarge"/>: the size the file reports, when it reports one (devices and <c>/proc</c> files report none).</param>
/// <param name="Error">For <see cref="FileReadStatus.Unreadable"/>: the system's reason (never the file's content).</param>
public sealed record FileReadResult(FileReadStatus Status, byte[]? Content = null, string? Kind = null, long? Length = null, string? Error = null)
{
    internal static FileReadResult Refused(FileReadStatus status) => new(status);
}
