using Builder.Core.Audit;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>Whether a composed build-end record can be written at all, whatever seq it gets.</summary>
internal static class BuildEndRecords
{
    /// <summary>The widest chain position a record can take: the longest seq the format reads, and a hash as every prev is one.</summary>
    private static readonly (long Seq, string Prev) Widest = (AuditRecordFormat.MaxNumber, "sha256:" + new string('0', 64));

    /// <summary>Null when the record fits the audit record format (size, artifact count, every value); else why not.</summary>
    public static string? Problem(Func<long, string, AuditRecord> compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        try
        {
            AuditRecordFormat.Serialize(compose(Widest.Seq, Widest.Prev));
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
