namespace Builder.Daemon.Hooks;

/// <summary>What a hook is told about the build, as BUILDER_* environment variables.</summary>
internal sealed record HookContext(
    long BuildId, string Pocket, string Package, string? Commit, string? Version, string Requester, string State,
    string? FailedStage, string LogPath, string? ArtifactsDirectory, string? WebUrl)
{
    public IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("BUILDER_BUILD_ID", BuildId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("BUILDER_POCKET", Pocket),
        new("BUILDER_PACKAGE", Package),
        new("BUILDER_COMMIT", Commit ?? ""),
        new("BUILDER_VERSION", Version ?? ""),
        new("BUILDER_REQUESTER", Requester),
        new("BUILDER_STATE", State),
        new("BUILDER_FAILED_STAGE", FailedStage ?? ""),
        new("BUILDER_LOG", LogPath),
        new("BUILDER_ARTIFACTS_DIR", ArtifactsDirectory ?? ""),
        new("BUILDER_WEB_URL", WebUrl ?? ""),
    ];
}
