using System.Globalization;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Core.Debian;
using Builder.Daemon.Hooks;
using Builder.Farm.Gateway;
using Builder.Farm.Records;
using Builder.Vm;
using Builder.Vm.Jobs;
using Builder.Vm.Output.Binaries;

namespace Builder.Daemon.Pipeline;

internal sealed partial class BuildPipeline
{
    /// <summary>After the start record was accepted: copy from another pocket, or pre-build hooks, VM and publish.</summary>
    private async Task ContinueAfterAuditAsync(BuildRun run, BuildPlan plan, long auditSeq)
    {
        if (plan.Copy is { } copy)
        {
            if (await builds.TransitionAsync(run.BuildId, BuildState.Auditing, BuildState.Publishing, null, null,
                    $"copying build {copy.BuildId} from {copy.Pocket}", run.Token))
            {
                await PublishAsync(run, plan, auditSeq, null, null, null);
            }
            return;
        }

        var build = run.Build;
        await run.LogAsync("running pre-build hooks");
        await hooks.RunAsync(HookKind.PreBuild, HookContextFor(run, plan, "auditing", null, null), run.Writer, run.Token);
        if (await CancelIfRequestedAsync(run, BuildState.Auditing, audited: true))
        {
            return;
        }
        if (!await builds.TransitionAsync(run.BuildId, BuildState.Auditing, BuildState.Building, null, null, "starting the VM", run.Token))
        {
            return;
        }

        GatewayListener? gateway = null;
        VmRunResult result;
        CompileSummary? compile = null;
        try
        {
            if (options.Value.UseFarm)
            {
                // The pocket's own farm pool: its jobs never reach a host that compiles another trust domain's builds.
                var pool = FarmPoolChoice.For(pockets.CurrentValue, run.Build.Pocket);
                gateway = await farm.OpenAsync(run.BuildId, build.Attempts, pool, run.Token);
                gateway.LimitNotices.Sink = run.Limit;
                await run.LogAsync($"farm gateway for this build on {gateway.Endpoint} (farm pool {pool})");
            }
            var job = new VmJob
            {
                BuildId = run.BuildId,
                // One directory per attempt: a requeued build never meets the overlay of its interrupted run.
                WorkDirectory = Path.Combine(vmOptions.Value.WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"{run.BuildId}.{build.Attempts}")),
                SourceFiles = plan.SourceFiles,
                BuildDependencies = [.. plan.BuildDeps.Select(d => Path.Combine(plan.DebsDirectory, d.FileName))],
                Gateway = gateway?.Endpoint,
                Parallel = options.Value.Parallel,
                LogLine = run.Guest,
            };
            result = await vm.RunAsync(job, run.Token);
        }
        finally
        {
            if (gateway is not null)
            {
                compile = await gateway.CloseAsync(CancellationToken.None);
                await gateway.DisposeAsync();
            }
        }
        await run.LogAsync(string.Create(CultureInfo.InvariantCulture,
            $"VM {result.Outcome} ({result.Accelerator}, {(result.BootTime is { } boot ? $"boot {boot.TotalSeconds:0.0} s" : "not booted")}, total {result.TotalTime.TotalSeconds:0.0} s){(compile is null ? "" : $"; {compile.Count} compile jobs through the farm")}{(result.Reason.Length > 0 ? ": " + result.Reason : "")}"));
        if (result.BootTime is { } bootTime)
        {
            // The boot stage of the build's timings: only the VM runner knows when the guest agent came up.
            await builds.SetVmBootAsync(run.BuildId, bootTime, CancellationToken.None);
        }
        var compileJobs = compile is null ? null : new AuditCompileJobs(compile.Count, compile.Digest);
        switch (result.Outcome)
        {
            case VmOutcome.Succeeded:
                var check = await CheckBinariesAsync(run, plan, result);
                if (!check.IsAccepted)
                {
                    await FailAsync(run, BuildState.Building, BuildStages.Building, RejectionReason(check), plan, audited: true, result, compileJobs);
                    break;
                }
                await PauseAsync(run, PausePoint.Built);
                if (await builds.TransitionAsync(run.BuildId, BuildState.Building, BuildState.Publishing, null, null, "publishing", run.Token))
                {
                    await PublishAsync(run, plan, auditSeq, result, compileJobs, check);
                }
                break;
            case VmOutcome.Cancelled when run.CancelRequested:
                await CancelAsync(run, BuildState.Building, audited: true, compileJobs);
                break;
            case VmOutcome.Cancelled:
                // The daemon is stopping: leave the build to the recovery of whoever runs next.
                break;
            case VmOutcome.Timeout:
                await FailAsync(run, BuildState.Building, BuildStages.Timeout, result.Reason, plan, audited: true, result, compileJobs);
                break;
            default:
                await FailAsync(run, BuildState.Building, BuildStages.Building, result.Reason, plan, audited: true, result, compileJobs);
                break;
        }
    }

    // The reason (the build's row, its mail) names the first few; the log has every one.
    private const int MaxViolationsInReason = 5;

    /// <summary>
    /// The VM's binaries against what the source declares (debian/control as parsed on the host from the exported
    /// tree, the changelog version, the build architecture): nothing the guest made up reaches the repository.
    /// </summary>
    private async Task<BinaryCheckResult> CheckBinariesAsync(BuildRun run, BuildPlan plan, VmRunResult result)
    {
        var expected = new BinaryExpectation(run.Build.Package, DebianVersion.Parse(plan.Version), buildDepsOptions.Value.Architecture, plan.DeclaredBinaries);
        var check = BinaryOutputChecker.Check(expected, result.Artifacts);
        if (check.IsAccepted)
        {
            await run.LogAsync($"binaries checked against {run.Build.Package}'s debian/control: {string.Join(' ', check.Accepted.Select(b => b.File))}");
            return check;
        }
        await run.LogAsync($"the build's output is rejected: {check.Violations.Count} binary check(s) failed; nothing of it is published");
        foreach (var violation in check.Violations)
        {
            await run.LogAsync($"  {violation}");
        }
        return check;
    }

    private static string RejectionReason(BinaryCheckResult check)
    {
        var shown = string.Join("; ", check.Violations.Take(MaxViolationsInReason).Select(v => v.Message));
        var more = check.Violations.Count > MaxViolationsInReason ? $"; and {check.Violations.Count - MaxViolationsInReason} more (see the log)" : "";
        return $"the output was rejected by the binary checks: {shown}{more}";
    }

    // current: the build as stored now; its commit and version stand in when there is no plan (a rejected build).
    private HookContext HookContextFor(BuildRun run, BuildPlan? plan, string state, string? failedStage, VmRunResult? result,
        Builder.Store.Builds.BuildRecord? current = null) =>
        new(run.BuildId, run.Build.Pocket, run.Build.Package, plan?.CommitId ?? current?.CommitId, plan?.Version ?? current?.Version, run.Build.Requester, state, failedStage, run.LogPath,
            result is null ? null : Path.Combine(result.Directory, "artifacts"), links.BuildUrl(run.BuildId).ToString());
}
