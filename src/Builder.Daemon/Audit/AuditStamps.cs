using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Store.Audit;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Audit;

/// <summary>
/// The host and time of records this daemon writes, for those the store composes inside its own transaction (the
/// build-end of an attempt recovery fails as interrupted).
/// </summary>
internal sealed class AuditStamps(IOptions<AuditOptions> options, TimeProvider time)
{
    public AuditStamp Now() => AuditStamp.At(AuditHost.Name(options.Value), time.GetUtcNow());
}
