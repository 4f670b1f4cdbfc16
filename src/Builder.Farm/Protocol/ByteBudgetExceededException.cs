namespace Builder.Farm.Protocol;

/// <summary>An <see cref="IByteBudget"/> had no room: the message is refused, not malformed.</summary>
internal sealed class ByteBudgetExceededException : Exception
{
    public ByteBudgetExceededException()
    {
    }

    public ByteBudgetExceededException(string message) : base(message)
    {
    }

    public ByteBudgetExceededException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
