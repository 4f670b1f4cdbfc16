using Builder.Farm.Protocol;

namespace Builder.Farm.Gateway;

/// <summary>
/// The request-body bytes one build's connections hold at once (<see cref="FarmOptions.MaxInFlightBytesPerBuild"/>):
/// each job charges its own <see cref="JobBytes"/> as its buffers grow and gives all of it back when it ends.
/// </summary>
internal sealed class InFlightBytes(long limit)
{
    private long _held;

    public long Limit { get; } = limit;

    public long Held => Interlocked.Read(ref _held);

    public JobBytes OpenJob() => new(this);

    internal bool TryTake(long bytes)
    {
        while (true)
        {
            var held = Interlocked.Read(ref _held);
            if (held + bytes > Limit)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _held, held + bytes, held) == held)
            {
                return true;
            }
        }
    }

    internal void Give(long bytes) => Interlocked.Add(ref _held, -bytes);

    /// <summary>One job's share; not thread-safe (one job reads on one flow at a time).</summary>
    internal sealed class JobBytes(InFlightBytes build) : IByteBudget, IDisposable
    {
        public long Charged { get; private set; }

        public void Charge(long bytes)
        {
            if (!build.TryTake(bytes))
            {
                throw new ByteBudgetExceededException(
                    $"the build's compile jobs already hold {build.Held} bytes of request bodies; {bytes} more would exceed {build.Limit} (Farm:MaxInFlightBytesPerBuild)");
            }
            Charged += bytes;
        }

        public void Dispose()
        {
            build.Give(Charged);
            Charged = 0;
        }
    }
}
