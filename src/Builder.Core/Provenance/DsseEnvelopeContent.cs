namespace Builder.Core.Provenance;

/// <summary>A parsed envelope, before its signatures are checked.</summary>
internal sealed record DsseEnvelopeContent(string PayloadType, byte[] Payload, IReadOnlyList<DsseSignature> Signatures);
