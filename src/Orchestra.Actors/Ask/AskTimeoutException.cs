namespace Orchestra.Actors;

/// <summary>No reply arrived within the timeout of an <c>Ask</c>.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance.</summary>
    public AskTimeoutException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public AskTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AskTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
