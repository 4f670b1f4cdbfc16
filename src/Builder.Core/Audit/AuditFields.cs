namespace Builder.Core.Audit;

/// <summary>
/// The field names of an audit record, in their fixed order. A build-start record has <see cref="Common"/>;
/// a build-end record has <see cref="Common"/> followed by <see cref="EndOnly"/>. A <c>builder-audit 1</c> record
/// has no <see cref="CopyOf"/> line, and versions 1 and 2 no <see cref="Provenance"/> line (<see cref="CommonFor"/>).
/// Stable: auditors' tools parse them.
/// </summary>
public static class AuditFields
{
    /// <summary>The first line is this, a space and the format version: <c>builder-audit 4</c>.</summary>
    public const string MagicName = "builder-audit";

    public const string Seq = "seq";
    public const string Prev = "prev";
    public const string Event = "event";
    public const string Build = "build";
    public const string Pocket = "pocket";
    public const string Package = "package";
    public const string Commit = "commit";
    public const string Version = "version";
    public const string Requester = "requester";
    public const string Key = "key";
    public const string Acl = "acl";
    public const string Image = "image";
    public const string Host = "host";
    public const string Time = "time";
    public const string BuildDeps = "build-deps";
    public const string CopyOf = "copy-of";
    public const string Request = "request";
    public const string Signature = "signature";
    public const string Provenance = "provenance";
    public const string Result = "result";
    public const string FailedStage = "failed-stage";
    public const string Artifacts = "artifacts";
    public const string CompileJobs = "compile-jobs";

    public const string Genesis = "genesis";
    public const string BuildStartEvent = "build-start";
    public const string BuildEndEvent = "build-end";
    public const string CheckpointEvent = "checkpoint";

    /// <summary>
    /// Every field of a checkpoint record (<c>builder-audit 3</c>), in order: the head it certifies is seq − 1 with the
    /// hash in prev; it has none of the build fields.
    /// </summary>
    public static IReadOnlyList<string> CheckpointFields { get; } = [Seq, Prev, Event, Host, Time];

    /// <summary>
    /// The common fields of the current version (4). <see cref="Provenance"/> is common although only a build-end
    /// record gives it a value: a build-start record carries it empty, so both kinds keep one line per field in one order.
    /// </summary>
    public static IReadOnlyList<string> Common { get; } =
    [
        Seq, Prev, Event, Build, Pocket, Package, Commit, Version, Requester, Key, Acl, Image, Host, Time, BuildDeps, CopyOf, Request, Signature,
        Provenance,
    ];

    private static IReadOnlyList<string> CommonV2 { get; } = [.. Common.Where(f => f != Provenance)];

    private static IReadOnlyList<string> CommonV1 { get; } = [.. CommonV2.Where(f => f != CopyOf)];

    /// <summary>The common fields of <paramref name="formatVersion"/> (1 lacks copy-of, 1 and 2 lack provenance).</summary>
    public static IReadOnlyList<string> CommonFor(int formatVersion) => formatVersion switch
    {
        1 => CommonV1,
        2 => CommonV2,
        _ => Common,
    };

    /// <summary>The first line of a record of <paramref name="formatVersion"/>.</summary>
    public static string Magic(int formatVersion) => $"{MagicName} {formatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static IReadOnlyList<string> EndOnly { get; } = [Result, FailedStage, Artifacts, CompileJobs];

    public static string EventName(AuditEvent e) => e switch
    {
        AuditEvent.BuildStart => BuildStartEvent,
        AuditEvent.BuildEnd => BuildEndEvent,
        AuditEvent.Checkpoint => CheckpointEvent,
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, null),
    };

    public static bool TryParseEvent(string name, out AuditEvent e)
    {
        switch (name)
        {
            case BuildStartEvent: e = AuditEvent.BuildStart; return true;
            case BuildEndEvent: e = AuditEvent.BuildEnd; return true;
            case CheckpointEvent: e = AuditEvent.Checkpoint; return true;
            default: e = default; return false;
        }
    }

    public static string ResultName(AuditResult r) => r switch
    {
        AuditResult.Succeeded => "succeeded",
        AuditResult.Failed => "failed",
        AuditResult.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, null),
    };

    public static bool TryParseResult(string name, out AuditResult r)
    {
        switch (name)
        {
            case "succeeded": r = AuditResult.Succeeded; return true;
            case "failed": r = AuditResult.Failed; return true;
            case "cancelled": r = AuditResult.Cancelled; return true;
            default: r = default; return false;
        }
    }
}
