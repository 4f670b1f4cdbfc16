using Builder.Core.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common.Audit;

namespace Builder.Store.Tests.Audit;

/// <summary>Builds walked to 'auditing' and records composed for them.</summary>
internal static class AuditStoreSamples
{
    public static async Task<long> AuditingBuildAsync(BuildRepository builds, string package) => (await AuditingBuilds.SubmitAsync(builds, package)).Id;

    public static Func<long, string, AuditRecord> Compose(long build, AuditEvent ev = AuditEvent.BuildStart) => (seq, prev) => new AuditRecord
    {
        Seq = seq,
        Prev = prev,
        Event = ev,
        Build = build,
        Pocket = "dev",
        Package = "hello",
        Requester = "alice",
        Key = "SHA256:" + new string('A', 43),
        Acl = "sha256:" + new string('a', 64),
        Host = "builder1",
        Time = new DateTimeOffset(2026, 11, 22, 17, 30, 0, TimeSpan.Zero),
        Request = "builder-request 1\n",
        Signature = "-----BEGIN SSH SIGNATURE-----\n",
        Result = ev == AuditEvent.BuildEnd ? AuditResult.Succeeded : null,
    };
}
