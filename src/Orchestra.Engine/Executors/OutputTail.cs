namespace Orchestra.Engine.Executors;

/// <summary>The end of what an attempt's process wrote to one of its streams, as kept by the engine and journaled with the attempt.</summary>
/// <remarks>
/// The bytes are decoded as UTF-8 with replacement (an invalid sequence becomes U+FFFD): the text is what the script printed, never
/// trusted as text, and may hold control characters and terminal escapes (a printer for a terminal neutralises them).
/// </remarks>
/// <param name="Text">The kept lines, joined with <c>\n</c>, without a final newline: at most <see cref="EngineOptions.OutputTailLines"/> lines
/// and <see cref="EngineOptions.OutputTailBytes"/> bytes of the end of the stream.</param>
/// <param name="TotalBytes">How many bytes the process wrote to the stream in all.</param>
/// <param name="Truncated">Whether output before <paramref name="Text"/> was dropped to keep within the limits.</param>
public sealed record OutputTail(string Text, long TotalBytes, bool Truncated);

/// <summary>One of a process's output streams.</summary>
public enum OutputStream
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
