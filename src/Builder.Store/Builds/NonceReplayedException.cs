namespace Builder.Store.Builds;

/// <summary>The request's nonce was already used by an accepted request.</summary>
public sealed class NonceReplayedException(string nonce)
    : Exception($"nonce {nonce} was already used by an accepted request")
{
    public string Nonce { get; } = nonce;
}
