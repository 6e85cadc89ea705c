namespace Orchestra.Actors.Dispatch;

/// <summary>The children of one actor, by name. Locked because top-level actors are created from any thread.</summary>
internal sealed class ChildrenContainer
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, LocalActorRef> _byName = new(StringComparer.Ordinal);
    private long _nextId;
    private bool _closed;

    public static void Validate(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
        {
            throw new InvalidActorNameException($"Invalid actor name '{name}': it must be non-empty, without '/' or white space.");
        }
    }

    public string NextName()
    {
        var id = Interlocked.Increment(ref _nextId);
        Span<char> buffer = stackalloc char[16];
        var position = buffer.Length;
        do
        {
            buffer[--position] = Alphabet[(int)(id % Alphabet.Length)];
            id /= Alphabet.Length;
        }
        while (id > 0);

        buffer[--position] = '$';
        return new string(buffer[position..]);
    }

    public void Add(string name, LocalActorRef child, ActorPath parent)
    {
        lock (_byName)
        {
            if (_closed)
            {
                throw new InvalidOperationException($"Cannot create child '{name}': {parent} is stopping.");
            }

            if (!_byName.TryAdd(name, child))
            {
                throw new InvalidActorNameException($"Actor name '{name}' is not unique under {parent}.");
            }

            // Create is posted under the lock, so it precedes any stop sent to the child.
            child.SendSystemMessage(new Create());
        }
    }

    public LocalActorRef? Get(string name)
    {
        lock (_byName)
        {
            return _byName.GetValueOrDefault(name);
        }
    }

    public bool Contains(LocalActorRef child)
    {
        lock (_byName)
        {
            return _byName.TryGetValue(child.Path.Name, out var found) && ReferenceEquals(found, child);
        }
    }

    public int Remove(LocalActorRef child)
    {
        lock (_byName)
        {
            if (_byName.TryGetValue(child.Path.Name, out var found) && ReferenceEquals(found, child))
            {
                _byName.Remove(child.Path.Name);
            }

            return _byName.Count;
        }
    }

    public IReadOnlyList<IActorRef> Snapshot()
    {
        lock (_byName)
        {
            return [.. _byName.Values];
        }
    }

    public IReadOnlyList<IActorRef> Close()
    {
        lock (_byName)
        {
            _closed = true;
            return [.. _byName.Values];
        }
    }
}
