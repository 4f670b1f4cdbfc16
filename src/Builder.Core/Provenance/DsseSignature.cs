namespace Builder.Core.Provenance;

/// <summary>One entry of an envelope's <c>signatures</c>: the key hint (may be empty) and the signature bytes.</summary>
internal sealed record DsseSignature(string KeyId, byte[] Sig);
