namespace Builder.Farm.Protocol;

/// <summary>
/// Memory a reader may take for message bodies: charged before each buffer grows (wire bytes as they arrive, and each
/// decompression output buffer), so a peer's announced length never costs memory by itself.
/// </summary>
internal interface IByteBudget
{
    /// <summary>Takes <paramref name="bytes"/> more from the budget.</summary>
    /// <exception cref="ByteBudgetExceededException">the budget has no room for them.</exception>
    void Charge(long bytes);
}
