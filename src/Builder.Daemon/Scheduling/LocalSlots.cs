using Microsoft.Extensions.Options;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// This host's build slots: at most Scheduler:Slots builds run here at once. The one setting is counted where it is
/// enforced: Quartz's execution group decides which daemon acquires a build's trigger (its store's view, used to spread
/// builds), this semaphore holds the count in this process whatever Quartz fires, and the VM runner is given the same
/// number (it guards its VMs for any caller).
/// </summary>
internal sealed class LocalSlots(IOptions<SchedulerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Slots, options.Value.Slots);

    public Task WaitAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
