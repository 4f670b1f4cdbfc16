namespace Builder.Store.Builds;

/// <summary>What an accepted submit request stores: the build and the nonce that may never be used again.</summary>
public sealed record NewBuild(
    string Pocket,
    string Package,
    string? RequestedCommit,
    string Requester,
    string KeyFingerprint,
    string AclHash,
    string Request,
    string Signature,
    string Nonce,
    DateTimeOffset Issued);
