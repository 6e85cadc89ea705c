namespace Orchestra.Application.Nodes;

/// <summary>What kind of process an <see cref="OrchestraNode"/> runs in, as its control socket tells other processes.</summary>
public enum NodeRole
{
    /// <summary>An <c>orchestra</c> command: it drives deployments only while it runs (until they settle, or Ctrl-C).</summary>
    Command,

    /// <summary><c>orchestra serve</c>: it drives every unfinished deployment of its store, and takes a pending one over when handed it.</summary>
    Server,
}
