namespace Orchestra.Actors;

/// <summary>The recipe to create (and re-create, on restart) an actor.</summary>
/// <remarks>
/// The factory is called once per incarnation, on the actor's own thread: at start and at every restart, so
/// a restart resets the actor's state. It must return a new instance each time.
/// </remarks>
public sealed class Props
{
    private Props(Type actorType, Func<ActorBase> factory)
    {
        ActorType = actorType;
        Factory = factory;
    }

    /// <summary>Gets the type of actor these props create.</summary>
    public Type ActorType { get; }

    internal Func<ActorBase> Factory { get; }

    /// <summary>Creates props that build the actor with <paramref name="factory"/>.</summary>
    /// <typeparam name="T">The actor type.</typeparam>
    /// <param name="factory">Returns a new actor instance each time it is called.</param>
    /// <returns>The props.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static Props Create<T>(Func<T> factory)
        where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(T), factory);
    }

    /// <summary>Creates props that build the actor with its parameterless constructor.</summary>
    /// <typeparam name="T">The actor type.</typeparam>
    /// <returns>The props.</returns>
    public static Props Create<T>()
        where T : ActorBase, new() => new(typeof(T), static () => new T());
}
