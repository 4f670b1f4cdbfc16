namespace Builder.Farm.Gateway;

/// <summary>A taken farm slot of a build, given back once: early (when the farm has answered) or when the job ends.</summary>
internal sealed class SlotLease(SemaphoreSlim slots) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            slots.Release();
        }
    }
}
