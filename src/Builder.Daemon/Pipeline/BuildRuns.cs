using System.Globalization;
using Builder.Daemon.Logs;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline;

/// <summary>Opens a <see cref="BuildRun"/> for a build in its work directory (Pipeline:WorkDirectory/&lt;id&gt;).</summary>
internal sealed class BuildRuns(BuildRepository builds, BuildLogStore logs, IOptions<PipelineOptions> options, TimeProvider time)
{
    public string WorkDirectoryOf(long buildId) =>
        Path.Combine(options.Value.WorkDirectory, buildId.ToString(CultureInfo.InvariantCulture));

    public BuildRun Start(BuildRecord build, CancellationToken cancellationToken) =>
        new(build, WorkDirectoryOf(build.Id), builds, logs, time, options.Value.CancelPollInterval, cancellationToken);
}
