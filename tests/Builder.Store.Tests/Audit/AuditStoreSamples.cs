using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Builds;

namespace Builder.Store.Tests.Audit;

/// <summary>Builds walked to 'auditing' and records composed for them.</summary>
internal static class AuditStoreSamples
{
    public static async Task<long> AuditingBuildAsync(BuildRepository builds, string package)
    {
        var id = await builds.SubmitAsync(new NewBuild("dev", package, null, "alice", "SHA256:" + new string('A', 43), "sha256:" + new string('a', 64),
            "builder-request 1\n", "-----BEGIN SSH SIGNATURE-----\n", Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(await builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        Assert.True(await builds.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
        return id;
    }

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
