using System.Globalization;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Hooks;
using Builder.Store.Builds;
using Builder.Vm;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// Owns the building state: pre-build hooks, auditing → building, the VM run with its farm gateway, the binary
/// checks, and building → publishing. A failed, timed-out or cancelled run ends the build here.
/// </summary>
internal sealed class VmBuildStage(BuildRepository builds, BuildHooks hooks, GuestBuild guest, BinaryCheck binaries, StagePauses pauses, FinishStage finish)
{
    /// <summary>The checked output, with the build moved to publishing; null when the build ended (or was left) here.</summary>
    public async Task<BuiltOutput?> RunAsync(BuildRun run, BuildPlan plan)
    {
        var audited = BuildOutcome.Cancelled with { Audited = true };
        await run.LogAsync("running pre-build hooks");
        await hooks.RunAsync(HookKind.PreBuild, run, new HookFacts("auditing", plan), run.Token);
        if (await finish.CancelIfRequestedAsync(run, BuildState.Auditing, audited))
        {
            return null;
        }
        if (!await run.TransitionAsync(new StateChange(BuildState.Auditing, BuildState.Building) { Message = "starting the VM" }, run.Token))
        {
            return null;
        }

        var (result, compile) = await guest.RunAsync(run, plan);
        await run.LogAsync(string.Create(CultureInfo.InvariantCulture,
            $"VM {result.Outcome} ({result.Accelerator}, {(result.BootTime is { } boot ? $"boot {boot.TotalSeconds:0.0} s" : "not booted")}, total {result.TotalTime.TotalSeconds:0.0} s){(compile is null ? "" : $"; {compile.Count} compile jobs through the farm")}{(result.Reason.Length > 0 ? ": " + result.Reason : "")}"));
        if (result.BootTime is { } bootTime)
        {
            // The boot stage of the build's timings: only the VM runner knows when the guest agent came up.
            await builds.SetVmBootAsync(run.BuildId, bootTime, CancellationToken.None);
        }
        var compileJobs = compile is null ? null : new AuditCompileJobs(compile.Count, compile.Digest);
        BuildOutcome Failed(string stage, string reason) =>
            BuildOutcome.Failed(stage, reason) with { Plan = plan, Audited = true, Result = result, Compile = compileJobs };
        switch (result.Outcome)
        {
            case VmOutcome.Succeeded:
                var check = await binaries.CheckAsync(run, plan, result);
                if (!check.IsAccepted)
                {
                    await finish.FailAsync(run, BuildState.Building, Failed(BuildStages.Building, BinaryCheck.RejectionReason(check)));
                    return null;
                }
                await pauses.PauseAsync(run, PausePoint.Built);
                return await run.TransitionAsync(new StateChange(BuildState.Building, BuildState.Publishing) { Message = "publishing" }, run.Token)
                    ? new BuiltOutput(result, compileJobs, check)
                    : null;
            case VmOutcome.Cancelled when run.CancelRequested:
                await finish.CancelAsync(run, BuildState.Building, audited with { Compile = compileJobs });
                return null;
            case VmOutcome.Cancelled:
                // The daemon is stopping: leave the build to the recovery of whoever runs next.
                return null;
            case VmOutcome.Timeout:
                await finish.FailAsync(run, BuildState.Building, Failed(BuildStages.Timeout, result.Reason));
                return null;
            default:
                await finish.FailAsync(run, BuildState.Building, Failed(BuildStages.Building, result.Reason));
                return null;
        }
    }
}
