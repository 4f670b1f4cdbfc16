using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Core.Debian;
using Builder.Daemon.Publishing;
using Builder.Sources;
using Builder.Vm;

namespace Builder.Daemon.Pipeline;

internal sealed partial class BuildPipeline
{
    /// <summary>
    /// reprepro (include or cross-pocket copy; both idempotent), the git tag (idempotent), then the pocket head and
    /// the success in one transaction. A crash anywhere here re-runs it all without publishing twice.
    /// </summary>
    private async Task PublishAsync(BuildRun run, BuildPlan plan, long auditSeq, VmRunResult? result, AuditCompileJobs? compile)
    {
        var build = run.Build;
        try
        {
            await EnsureRepositoryConfiguredAsync(run.Token);
            if (plan.CopyFromPocket is { } from)
            {
                var copied = await publisher.CopyAsync(from, build.Pocket, build.Package, plan.Version, run.Token);
                await run.LogAsync(copied ? $"copied {build.Package} {plan.Version} from {from}" : $"{build.Package} {plan.Version} was already in {build.Pocket}");
            }
            else
            {
                var binaries = result!.Artifacts.Where(a => a.Name.EndsWith(".deb", StringComparison.Ordinal) || a.Name.EndsWith(".udeb", StringComparison.Ordinal))
                    .Select(a => a.Path).ToList();
                if (binaries.Count == 0)
                {
                    await FailAsync(run, BuildState.Publishing, BuildStages.Publishing, "the build produced no .deb", plan, audited: true, result, compile);
                    return;
                }
                var published = await publisher.PublishAsync(build.Pocket, build.Package, plan.Version, plan.DscPath, binaries, run.Token, plan.Section, plan.Priority);
                await run.LogAsync(published
                    ? $"published {build.Package} {plan.Version} to {publisher.DistributionOf(build.Pocket)}: {string.Join(' ', binaries.Select(Path.GetFileName))}"
                    : $"{build.Package} {plan.Version} was already published to {build.Pocket}");
            }
            await PauseAsync(run, PausePoint.Included);
            var tag = await tagger.TagAsync(build.Package, build.Pocket, DebianVersion.Parse(plan.Version), plan.CommitId, build.Id, auditSeq, run.Token);
            await run.LogAsync($"git tag {build.Pocket}/{plan.Version}: {tag}");
            if (!await completion.SucceedAsync(build.Id, build.Pocket, build.Package, plan.ExpectedHeadCommit, plan.CommitId, plan.Version,
                    $"{build.Pocket} now has {build.Package} {plan.Version}", run.Token))
            {
                await FailAsync(run, BuildState.Publishing, BuildStages.Publishing,
                    $"the {build.Pocket} head of {build.Package} moved while this build ran; it was not advanced", plan, audited: true, result, compile);
                return;
            }
            await FinishAsync(run, BuildState.Succeeded, null, null, plan, result, compile, audited: true);
        }
        catch (Exception ex) when (ex is PublishException or SourceException or IOException)
        {
            await run.LogAsync($"publishing failed: {ex.Message}");
            await FailAsync(run, BuildState.Publishing, BuildStages.Publishing, ex.Message, plan, audited: true, result, compile);
        }
    }

    private async Task EnsureRepositoryConfiguredAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _repositoryConfigured, 1, 0) == 0)
        {
            try
            {
                await publisher.ConfigureAsync(cancellationToken);
            }
            catch
            {
                _repositoryConfigured = 0;
                throw;
            }
        }
    }
}
