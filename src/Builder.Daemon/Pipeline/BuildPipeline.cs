using Builder.Daemon.Audit;
using Builder.Daemon.Pipeline.Stages;
using Builder.Daemon.Scheduling;
using Builder.Store.Builds;
using Quartz;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// One build from claim to final state (DESIGN.md "Data flow"), as a sequence of stages: preparing (sources, pocket
/// rules, build-deps, plan) → auditing (build-start record accepted off-site) → building (pre-build hooks, VM +
/// gateway) or a cross-pocket copy → publishing (reprepro, tag, pocket head with the success in one transaction);
/// each stage ends the build itself through <see cref="FinishStage"/> (build-end record, notification, hooks).
/// A build whose start record is not yet accepted stops here and is resumed by <see cref="BuildStartAcceptedAsync"/>.
/// Every stage checks for a cancel request; every transition is guarded by the state the stage expects.
/// </summary>
internal sealed class BuildPipeline(
    BuildRuns runs,
    PrepareStage prepare,
    AuditGate gate,
    VmBuildStage vmBuild,
    PublishStage publish,
    FinishStage finish,
    InterruptedBuildLog interrupted,
    ISchedulerFactory schedulers,
    BuildResumes resumes) : IBuildPipeline, IAuditAcceptedHandler, IInterruptedBuildHandler
{
    public string WorkDirectoryOf(long buildId) => runs.WorkDirectoryOf(buildId);

    /// <summary>Runs a freshly claimed build (state preparing).</summary>
    public async Task RunAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        await using var run = runs.Start(build, cancellationToken);
        try
        {
            if (await prepare.RunAsync(run) is { } plan)
            {
                await AuditAndContinueAsync(run, plan);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || run.CancelRequested)
        {
            await finish.EndUnexpectedlyAsync(run, ex);
        }
    }

    /// <summary>Continues a build in auditing (its start record was accepted late, or the daemon restarted).</summary>
    public async Task ResumeAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        await using var run = runs.Start(build, cancellationToken);
        try
        {
            if (await gate.LoadPlanAsync(run) is { } plan)
            {
                await AuditAndContinueAsync(run, plan);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || run.CancelRequested)
        {
            await finish.EndUnexpectedlyAsync(run, ex);
        }
    }

    /// <summary>The AuditRetry job got a build-start record through: run the rest of that build as its own job.</summary>
    public async Task BuildStartAcceptedAsync(long buildId, int attempt, CancellationToken cancellationToken)
    {
        // Not scheduled again when the dispatcher scheduled the same resume already (the build's daemon had died).
        await resumes.ScheduleAsync(await schedulers.GetScheduler(cancellationToken), buildId, attempt, cancellationToken);
    }

    /// <summary>Recovery failed an attempt whose daemon died: see <see cref="InterruptedBuildLog"/>.</summary>
    public Task BuildInterruptedAsync(InterruptedBuild build, CancellationToken cancellationToken) =>
        interrupted.RecordAsync(build, cancellationToken);

    /// <summary>After the start record was accepted: copy from another pocket, or build in the VM, then publish.</summary>
    private async Task AuditAndContinueAsync(BuildRun run, BuildPlan plan)
    {
        if (await gate.PassAsync(run, plan) is not { } auditSeq)
        {
            return;
        }
        if (plan.Copy is { } copy)
        {
            await publish.CopyAsync(run, plan, copy, auditSeq);
            return;
        }
        if (await vmBuild.RunAsync(run, plan) is { } built)
        {
            await publish.PublishAsync(run, plan, auditSeq, built);
        }
    }
}
