namespace Builder.Core.Builds;

/// <summary>Well-known values of a failed build's stage (the <c>failed-stage</c> audit field, BUILDER_FAILED_STAGE).</summary>
public static class BuildStages
{
    public const string Preparing = "preparing";
    public const string Auditing = "auditing";
    public const string Building = "building";
    public const string Publishing = "publishing";

    /// <summary>The daemon stopped while the build was active; it is requeued once.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The VM ran past its wall-clock limit and was killed.</summary>
    public const string Timeout = "timeout";

    /// <summary>True for a token of lowercase letters and dashes, as stored and mailed.</summary>
    public static bool IsValid(string stage) =>
        stage.Length is > 0 and <= 32 && stage.All(c => c is (>= 'a' and <= 'z') or '-');
}
