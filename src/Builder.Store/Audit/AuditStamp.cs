namespace Builder.Store.Audit;

/// <summary>
/// Who writes a record the store composes itself (the build-end of an interrupted attempt) and when: the recovering
/// daemon's audit host name and the time, whole seconds in UTC as every record carries it.
/// </summary>
public sealed record AuditStamp(string Host, DateTimeOffset Time)
{
    public static AuditStamp At(string host, DateTimeOffset time) =>
        new(host, new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
}
