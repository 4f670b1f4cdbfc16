using Builder.Store.Builds;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Told when recovery failed an attempt as interrupted (its daemon died), so the pipeline can close that attempt's
/// paperwork: the build-end audit record of an audited attempt, a line in the build log.
/// </summary>
internal interface IInterruptedBuildHandler
{
    Task BuildInterruptedAsync(InterruptedBuild build, CancellationToken cancellationToken);
}
