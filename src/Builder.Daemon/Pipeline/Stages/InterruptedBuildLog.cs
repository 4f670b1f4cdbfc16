using System.Globalization;
using Builder.Daemon.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Logs;
using Builder.Store.Builds;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// Owns the paperwork of an attempt whose daemon died (recovery failed it): its build log says so, and an audited
/// attempt gets its build-end record (failed, interrupted) so the chain closes every attempt it opened.
/// </summary>
internal sealed class InterruptedBuildLog(AuditTrail audit, BuildLogStore logs)
{
    public async Task RecordAsync(InterruptedBuild build, CancellationToken cancellationToken)
    {
        var delivery = await audit.RecordInterruptedAsync(build.Id, build.Attempt, cancellationToken);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"attempt {build.Attempt} interrupted: the daemon running it stopped while the build was {BuildStates.Name(build.LeftIn)}; {(build.Requeued ? "requeued" : "not requeued again (interrupted twice)")}{(delivery is null ? "" : $"; audit: build-end record seq {delivery.Seq} {(delivery.Accepted ? "accepted off-site" : "queued for delivery")}")}");
        await logs.AppendLineAsync(build.Id, line, cancellationToken);
        if (build.LeftIn == BuildState.Publishing && !build.Requeued)
        {
            // Publishing goes file by file into reprepro: the attempt may have left its packages in the pocket's
            // repository, untagged. Submitting the same commit again publishes the same files (a no-op) and tags it.
            await logs.AppendLineAsync(build.Id,
                "the pocket's repository may already hold this build's packages (publishing was under way); submit the same commit again to finish publishing and tagging",
                cancellationToken);
        }
    }
}
