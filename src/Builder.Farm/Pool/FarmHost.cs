namespace Builder.Farm.Pool;

/// <summary>
/// One farm host's live state. Up/down changes only after several observations in a row (hysteresis), so one slow
/// compile does not take a host out and one lucky probe does not bring a broken one back.
/// </summary>
internal sealed class FarmHost(FarmHostEndpoint endpoint)
{
    private readonly Lock _lock = new();
    private int _active;
    private int _successes;
    private int _failures;
    private string? _lastError;
    private long? _lastCompiled;

    public FarmHostEndpoint Endpoint { get; } = endpoint;

    public string Name => Endpoint.Name;

    public bool IsUp { get; private set; } = true;

    public int Active => Volatile.Read(ref _active);

    public double Load => (double)Active / Endpoint.Slots;

    public void Enter() => Interlocked.Increment(ref _active);

    public void Leave() => Interlocked.Decrement(ref _active);

    /// <returns>true when this observation brought the host back up.</returns>
    public bool ObserveSuccess(int successesToMarkUp)
    {
        lock (_lock)
        {
            _failures = 0;
            _successes++;
            if (!IsUp && _successes >= successesToMarkUp)
            {
                IsUp = true;
                _lastError = null;
                return true;
            }
            return false;
        }
    }

    /// <returns>true when this observation took the host down.</returns>
    public bool ObserveFailure(int failuresToMarkDown, string error)
    {
        lock (_lock)
        {
            _successes = 0;
            _failures++;
            _lastError = error;
            _lastCompiled = null;
            if (IsUp && _failures >= failuresToMarkDown)
            {
                IsUp = false;
                return true;
            }
            return false;
        }
    }

    /// <summary>A real job compiled here (status 0, an object): as good a sign of health as the probe's compile.</summary>
    public void ObserveCompiled(long timestamp)
    {
        lock (_lock)
        {
            if (IsUp && _failures == 0)
            {
                _lastCompiled = timestamp;
            }
        }
    }

    /// <summary>
    /// Whether the host is up and compiled a real job less than <paramref name="interval"/> ago with no failure since,
    /// so a health probe would tell nothing new.
    /// </summary>
    public bool CompiledWithin(TimeSpan interval, TimeProvider time)
    {
        lock (_lock)
        {
            return IsUp && _lastCompiled is { } t && time.GetElapsedTime(t) < interval;
        }
    }

    public FarmHostStatus Status(string pool = FarmOptions.DefaultPool)
    {
        lock (_lock)
        {
            return new FarmHostStatus(Name, IsUp, Active, Endpoint.Slots, _failures, _lastError, pool);
        }
    }
}
