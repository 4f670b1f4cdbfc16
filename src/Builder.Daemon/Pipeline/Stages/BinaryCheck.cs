using Builder.Core.Debian;
using Builder.Daemon.Apt;
using Builder.Vm;
using Builder.Vm.Output.Binaries;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// The VM's binaries against what the source declares (debian/control as parsed on the host from the exported
/// tree, the changelog version, the build architecture): nothing the guest made up reaches the repository.
/// </summary>
internal sealed class BinaryCheck(IOptions<BuildDepsOptions> buildDepsOptions)
{
    // The reason (the build's row, its mail) names the first few; the log has every one.
    private const int MaxViolationsInReason = 5;

    public async Task<BinaryCheckResult> CheckAsync(BuildRun run, BuildPlan plan, VmRunResult result)
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

    public static string RejectionReason(BinaryCheckResult check)
    {
        var shown = string.Join("; ", check.Violations.Take(MaxViolationsInReason).Select(v => v.Message));
        var more = check.Violations.Count > MaxViolationsInReason ? $"; and {check.Violations.Count - MaxViolationsInReason} more (see the log)" : "";
        return $"the output was rejected by the binary checks: {shown}{more}";
    }
}
