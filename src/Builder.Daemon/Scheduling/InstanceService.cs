using Builder.Store.Builds;
using Builder.Store.Instances;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Registers this daemon, checks in every HeartbeatInterval, and recovers builds orphaned by dead daemons: at start,
/// instances of this host whose process is gone (a kill -9 and restart) are marked stopped at once; others count as
/// dead after DeadAfter without a check-in. Orphaned builds fail with stage 'interrupted' and are requeued once.
/// The decisions and the recovered attempts' paperwork (the build-end audit record) are <see cref="BuildRecovery"/>'s;
/// the paperwork of those recovered at start is done after start-up. Only daemons that run builds (Scheduler:Enabled) have this service: the cluster's capacity counts
/// the registered daemons, and an API-only daemon brings no slots.
/// </summary>
internal sealed partial class InstanceService(
    DaemonInstance instance,
    InstanceRepository instances,
    BuildRecovery recovery,
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
        _recoveredAtStart = await recovery.RecoverGoneOwnersAsync(cancellationToken);
        Log.Started(logger, instance.Id, dead.Count);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            // Not in StartAsync: the audit mail may take its time, and the daemon should be up meanwhile.
            await recovery.EndInterruptedAsync(_recoveredAtStart, stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await instances.HeartbeatAsync(instance.Id, stoppingToken);
                    await recovery.EndInterruptedAsync(await recovery.RecoverGoneOwnersAsync(stoppingToken), stoppingToken);
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

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    private static partial class Log
    {
        [LoggerMessage(8301, LogLevel.Information, "Daemon instance {InstanceId} registered; {DeadCount} dead instances of this host marked stopped")]
        public static partial void Started(ILogger logger, string instanceId, int deadCount);

        [LoggerMessage(8303, LogLevel.Warning, "Heartbeat or recovery failed; retrying at the next tick")]
        public static partial void HeartbeatFailed(ILogger logger, Exception exception);
    }
}
