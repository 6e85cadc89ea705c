namespace Orchestra.Actors;

/// <summary>An actor failed while being created (constructor, <c>PreStart</c> or <c>PostRestart</c>). By default its supervisor stops it.</summary>
public sealed class ActorInitializationException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public ActorInitializationException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public ActorInitializationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ActorInitializationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An actor processed a <see cref="Kill"/> message. By default its supervisor stops it.</summary>
public sealed class ActorKilledException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public ActorKilledException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public ActorKilledException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ActorKilledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An actor received a <see cref="Terminated"/> it did not handle: it watched an actor and does not know what to do now that it stopped.</summary>
public sealed class DeathPactException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public DeathPactException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public DeathPactException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DeathPactException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance for <paramref name="deadActor"/>.</summary>
    /// <param name="deadActor">The watched actor that stopped.</param>
    public DeathPactException(IActorRef deadActor)
        : base($"Terminated of watched actor {deadActor?.Path} was not handled.")
    {
        DeadActor = deadActor;
    }

    /// <summary>Gets the watched actor that stopped.</summary>
    public IActorRef? DeadActor { get; }
}

/// <summary>An actor name is invalid or already used by a sibling.</summary>
public sealed class InvalidActorNameException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public InvalidActorNameException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public InvalidActorNameException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidActorNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
