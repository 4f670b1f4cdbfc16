namespace Builder.Store.Builds;

/// <summary>A row of build_provenance: the envelope's bytes exactly as issued, and <c>sha256:&lt;hex&gt;</c> of them.</summary>
public sealed record StoredProvenance(long BuildId, int Attempt, byte[] Envelope, string Sha256, DateTimeOffset CreatedAt);
