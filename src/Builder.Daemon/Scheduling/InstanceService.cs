using Builder.Store.Builds;
using Builder.Store.Instances;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Registers this daemon, checks in every HeartbeatInterval, and recovers builds orphaned by dead daemons: at start,
/// instances of this host whose process is gone (a kill -9 and restart) are marked stopped at once; others count as
/// dead after DeadAfter without a check-in. Orphaned builds fail with stage 'interrupted' and are requeued once.
/// The recovered attempts' paperwork (the build-end audit record) is done by <see cref="IInterruptedBuildHandler"/>,
/// after start-up. Only daemons that run builds (Scheduler:Enabled) have this service: the cluster's capacity counts
/// the registered daemons, and an API-only daemon brings no slots.
/// </summary>
internal sealed partial class InstanceService(
    DaemonInstance instance,
    InstanceRepository instances,
    BuildRepository builds,
    IEnumerable<IInterruptedBuildHandler> handlers,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<InstanceService> logger) : BackgroundService
{
    private IReadOnlyList<InterruptedBuild> _recoveredAtStart = [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await instances.RegisterAsync(instance.Id, instance.Host, cancellationToken);
        var dead = (await instances.LiveOnHostAsync(instance.Host, cancellationToken))
            .Where(id => id != instance.Id && DaemonInstance.PidOf(id) is { } pid && !ProcessExists(pid))
            .ToList();
        await instances.MarkStoppedAsync(dead, cancellationToken);
        _recoveredAtStart = await RecoverAsync(cancellationToken);
        Log.Started(logger, instance.Id, dead.Count);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            // Not in StartAsync: the audit mail may take its time, and the daemon should be up meanwhile.
            await EndInterruptedAsync(_recoveredAtStart, stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await instances.HeartbeatAsync(instance.Id, stoppingToken);
                    await EndInterruptedAsync(await RecoverAsync(stoppingToken), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database may be briefly unreachable; the next tick tries again.
                    Log.HeartbeatFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await instances.MarkStoppedAsync([instance.Id], cancellationToken);
    }

    private async Task<IReadOnlyList<InterruptedBuild>> RecoverAsync(CancellationToken cancellationToken)
    {
        var recovered = await builds.RecoverInterruptedAsync(options.Value.DeadAfter, cancellationToken);
        if (recovered.Count > 0)
        {
            Log.Recovered(logger, recovered.Count, recovered.Count(b => b.Requeued));
        }
        return recovered;
    }

    private async Task EndInterruptedAsync(IReadOnlyList<InterruptedBuild> recovered, CancellationToken cancellationToken)
    {
        foreach (var build in recovered)
        {
            foreach (var handler in handlers)
            {
                try
                {
                    await handler.BuildInterruptedAsync(build, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.InterruptedHandlerFailed(logger, build.Id, build.Attempt, ex);
                }
            }
        }
    }

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    private static partial class Log
    {
        [LoggerMessage(8301, LogLevel.Information, "Daemon instance {InstanceId} registered; {DeadCount} dead instances of this host marked stopped")]
        public static partial void Started(ILogger logger, string instanceId, int deadCount);

        [LoggerMessage(8302, LogLevel.Warning, "Recovered {FailedCount} interrupted builds ({RequeuedCount} requeued)")]
        public static partial void Recovered(ILogger logger, int failedCount, int requeuedCount);

        [LoggerMessage(8303, LogLevel.Warning, "Heartbeat or recovery failed; retrying at the next tick")]
        public static partial void HeartbeatFailed(ILogger logger, Exception exception);

        [LoggerMessage(8304, LogLevel.Error, "Build {BuildId}: closing interrupted attempt {Attempt} failed")]
        public static partial void InterruptedHandlerFailed(ILogger logger, long buildId, int attempt, Exception exception);
    }
}
