using System.Text;

namespace Orchestra.Actors;

/// <summary>The address of an actor in its system's hierarchy, e.g. <c>orchestra://sys/user/deployments/d-1</c>.</summary>
/// <remarks>Paths are for humans and logs; identity is carried by <see cref="IActorRef"/> (a restarted actor keeps its path and ref).</remarks>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private readonly string? _systemName;

    private ActorPath(string systemName)
    {
        _systemName = systemName;
        Name = string.Empty;
    }

    internal ActorPath(ActorPath parent, string name)
    {
        Parent = parent;
        Name = name;
    }

    /// <summary>Gets the parent path, or <see langword="null"/> for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>Gets the last element of the path (the actor's name); empty for the root.</summary>
    public string Name { get; }

    /// <summary>Gets the name of the actor system this path belongs to.</summary>
    public string SystemName => _systemName ?? Parent!.SystemName;

    /// <summary>Gets the number of elements below the root.</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    internal static ActorPath Root(string systemName) => new(systemName);

    /// <summary>Creates the path of a child of this path.</summary>
    /// <param name="name">The child's name.</param>
    /// <returns>The child path.</returns>
    public ActorPath Child(string name) => new(this, name);

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder("orchestra://").Append(SystemName);
        Append(builder, this);
        if (Parent is null)
        {
            builder.Append('/');
        }

        return builder.ToString();

        static void Append(StringBuilder sb, ActorPath path)
        {
            if (path.Parent is null)
            {
                return;
            }

            Append(sb, path.Parent);
            sb.Append('/').Append(path.Name);
        }
    }

    /// <inheritdoc />
    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Name != Name)
        {
            return false;
        }

        return Parent is null ? other.Parent is null && other.SystemName == SystemName : Parent.Equals(other.Parent);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Parent);
}
