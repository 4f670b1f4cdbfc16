namespace Builder.Daemon.Provenance;

/// <summary>
/// A signed provenance envelope: its bytes, stored and served exactly so, and <c>sha256:&lt;hex&gt;</c> of them, the value
/// of the build-end audit record's <c>provenance</c> field and of build_provenance.sha256.
/// </summary>
internal sealed record SignedProvenance(byte[] Envelope, string Sha256);
