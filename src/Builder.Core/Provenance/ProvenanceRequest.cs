namespace Builder.Core.Provenance;

/// <summary>
/// The external parameters: what the requester asked for and the signed request itself, so a verifier can re-check the
/// request's SSH signature without trusting the server. <paramref name="Commit"/> is the resolved 40-hex commit.
/// <paramref name="Request"/> and <paramref name="Signature"/> are the exact texts the audit record carries.
/// </summary>
public sealed record ProvenanceRequest(string Pocket, string Package, string Commit, string Requester, string Request, string Signature);
