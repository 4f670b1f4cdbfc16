using Builder.Store.Builds;

namespace Builder.Daemon.Scheduling;

/// <summary>Runs one claimed build (state preparing) through its stages to a final state.</summary>
internal interface IBuildPipeline
{
    Task RunAsync(BuildRecord build, CancellationToken cancellationToken);

    /// <summary>Continues a build in auditing whose build-start record has been accepted.</summary>
    Task ResumeAsync(BuildRecord build, CancellationToken cancellationToken);
}
