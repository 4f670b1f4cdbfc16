namespace Builder.Store.Builds;

/// <summary>
/// One build-dependency of a build attempt (a row of build_dependencies): what was installed in its VM, or, for a
/// cross-pocket copy, what the copied build installed. <paramref name="Architecture"/> is null where the audit record
/// (a copy's source) does not say it; <paramref name="Origin"/> is <c>mirror</c> or <c>pocket:&lt;name&gt;</c>.
/// </summary>
public sealed record BuildDependencyRecord(string Name, string Version, string? Architecture, string Origin, string Sha256);
