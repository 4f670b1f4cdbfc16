using Builder.Store.Builds;
using Builder.Store.Instances;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Registers this daemon, checks in every HeartbeatInterval, and recovers builds orphaned by dead daemons: at start,
/// instances of this host whose process is gone (a kill -9 and restart) are marked stopped at once; others count as
/// dead after DeadAfter without a check-in. Orphaned builds fail with stage 'interrupted' and are requeued once.
/// </summary>
internal sealed partial class InstanceService(
    DaemonInstance instance,
    InstanceRepository instances,
    BuildRepository builds,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<InstanceService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await instances.RegisterAsync(instance.Id, instance.Host, cancellationToken);
        var dead = (await instances.LiveOnHostAsync(instance.Host, cancellationToken))
            .Where(id => id != instance.Id && DaemonInstance.PidOf(id) is { } pid && !ProcessExists(pid))
            .ToList();
        await instances.MarkStoppedAsync(dead, cancellationToken);
        await RecoverAsync(cancellationToken);
        Log.Started(logger, instance.Id, dead.Count);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await instances.HeartbeatAsync(instance.Id, stoppingToken);
                    await RecoverAsync(stoppingToken);
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

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var (failed, requeued) = await builds.RecoverInterruptedAsync(options.Value.DeadAfter, cancellationToken);
        if (failed > 0)
        {
            Log.Recovered(logger, failed, requeued);
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
    }
}
