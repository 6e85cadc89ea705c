namespace Orchestra.Application.Configuration;

/// <summary>
/// The control socket (<c>Orchestra:Control</c>): how a second <c>orchestra</c> process on this machine reaches the process that drives a
/// deployment on the same store (<c>orchestra pause</c> and <c>cancel</c> from another terminal, <c>deploy --detach</c> handing a
/// deployment to a running <c>orchestra serve</c>). See <see cref="Control.ControlSocket"/>.
/// </summary>
public sealed class ControlOptions
{
    /// <summary>Whether this process serves its control socket while it runs.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a command waits for the driving process to answer (connect, journal the command, reply).</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest request or reply line, in bytes; a longer one is refused.</summary>
    /// <value>The default is 65,536 (64 KiB).</value>
    public int MaxMessageBytes { get; set; } = 64 * 1024;
}
