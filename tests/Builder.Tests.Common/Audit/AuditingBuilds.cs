using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Builds;
using Xunit;

namespace Builder.Tests.Common.Audit;

/// <summary>Builds in the state the pipeline leaves them in before it asks the audit trail: auditing, source resolved.</summary>
public static class AuditingBuilds
{
    /// <summary>Submits a build of <paramref name="package"/> in pocket dev and walks it queued → preparing → auditing.</summary>
    public static async Task<BuildRecord> SubmitAsync(BuildRepository builds, string package)
    {
        var id = await SubmitQueuedAsync(builds, package);
        Assert.True(await builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        await builds.SetSourceAsync(id, new string('c', 40), "1.0-1", CancellationToken.None);
        Assert.True(await builds.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
        return (await builds.GetAsync(id, CancellationToken.None))!;
    }

    /// <summary>Submits a build of <paramref name="package"/> in pocket dev (a placeholder signature: nothing verifies it) and leaves it queued.</summary>
    public static async Task<long> SubmitQueuedAsync(BuildRepository builds, string package)
    {
        var request = $"builder-request 1\naction submit\npocket dev\npackage {package}\nrequester alice\nnonce {Guid.NewGuid():N}\nissued 2026-11-22T17:30:00Z\n";
        return await builds.SubmitAsync(new NewBuild("dev", package, null, "alice", "SHA256:" + new string('Q', 43), "sha256:" + new string('a', 64),
            request, "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n", Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow),
            CancellationToken.None);
    }

    /// <summary>
    /// A valid record of <paramref name="build"/> for the store's tests (whose content no trigger reads): given the next
    /// seq and the head's hash, as the store's append asks; a build-end is a success.
    /// </summary>
    public static Func<long, string, AuditRecord> Record(long build, AuditEvent auditEvent = AuditEvent.BuildStart) => (seq, prev) => new AuditRecord
    {
        Seq = seq,
        Prev = prev,
        Event = auditEvent,
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
        Result = auditEvent == AuditEvent.BuildEnd ? AuditResult.Succeeded : null,
    };
}
