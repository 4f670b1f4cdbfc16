using System.Globalization;
using Builder.Daemon.Hosting;
using Builder.Daemon.Logs;
using Builder.Farm.Gateway;
using Builder.Farm.Records;
using Builder.Vm;
using Builder.Vm.Jobs;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>One VM run of a build, with its farm gateway (Pipeline:UseFarm) open for exactly that run.</summary>
internal sealed class GuestBuild(IFarmGateway farm, IVmRunner vm, IOptionsMonitor<PocketsOptions> pockets, IOptions<PipelineOptions> options,
    IOptions<VmOptions> vmOptions, IOptions<BuildLogOptions> logOptions)
{
    public async Task<(VmRunResult Result, CompileSummary? Compile)> RunAsync(BuildRun run, BuildPlan plan)
    {
        var build = run.Build;
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
                MaxLogLine = logOptions.Value.MaxLineLength,
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
        return (result, compile);
    }
}
