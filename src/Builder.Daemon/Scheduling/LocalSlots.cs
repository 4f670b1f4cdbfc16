using Microsoft.Extensions.Options;

namespace Builder.Daemon.Scheduling;

/// <summary>This host's VM slots: at most Scheduler:Slots builds run here at once.</summary>
internal sealed class LocalSlots(IOptions<SchedulerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Slots, options.Value.Slots);

    public Task WaitAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
