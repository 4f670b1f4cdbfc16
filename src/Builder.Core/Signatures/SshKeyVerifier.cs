namespace Builder.Core.Signatures;

/// <summary>The parsed key material of one public key, able to check an SSH signature blob made with it.</summary>
internal abstract class SshKeyVerifier
{
    /// <summary>
    /// Parses the inner signature of an SSH signature blob (<c>string alg, string sig</c>) for this key type.
    /// Throws <see cref="FormatException"/> when the algorithm does not belong to the key or the encoding is wrong.
    /// </summary>
    public abstract ParsedSignature ParseSignature(string algorithm, ReadOnlySpan<byte> signature);

    /// <summary>True iff <paramref name="signature"/> is valid over <paramref name="data"/>; never throws for a bad signature.</summary>
    public abstract bool Verify(ParsedSignature signature, ReadOnlySpan<byte> data);

    /// <summary>A signature in the form its verifier needs (algorithm name kept for display and RSA hash choice).</summary>
    internal sealed record ParsedSignature(string Algorithm, byte[] Value);
}
