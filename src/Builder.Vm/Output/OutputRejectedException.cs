namespace Builder.Vm.Output;

/// <summary>The guest's output broke a rule; the message names the entry and the rule.</summary>
internal sealed class OutputRejectedException : Exception
{
    public OutputRejectedException(string message)
        : base(message)
    {
    }

    public OutputRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OutputRejectedException()
    {
    }

    /// <summary>The setting whose bound the output ran into (<c>Vm:MaxTarMetadata</c>, …); null for a broken rule.</summary>
    public string? Limit { get; init; }
}
