using Builder.Core.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common.Audit;

namespace Builder.Store.Tests.Audit;

/// <summary>Builds walked to 'auditing' and records composed for them.</summary>
internal static class AuditStoreSamples
{
    public static async Task<long> AuditingBuildAsync(BuildRepository builds, string package) => (await AuditingBuilds.SubmitAsync(builds, package)).Id;

    public static Func<long, string, AuditRecord> Compose(long build, AuditEvent ev = AuditEvent.BuildStart) => AuditingBuilds.Record(build, ev);
}
