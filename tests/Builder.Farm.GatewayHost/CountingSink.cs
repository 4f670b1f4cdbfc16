using Builder.Farm.Records;

namespace Builder.Farm.GatewayHost;

/// <summary>The benchmark keeps no audit trail: it counts records by outcome and drops them.</summary>
internal sealed class CountingSink : ICompileJobSink
{
    private readonly Dictionary<string, int> _outcomes = [];

    public IReadOnlyDictionary<string, int> Outcomes
    {
        get
        {
            lock (_outcomes)
            {
                return new Dictionary<string, int>(_outcomes);
            }
        }
    }

    public Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken)
    {
        lock (_outcomes)
        {
            foreach (var r in batch)
            {
                _outcomes[r.Outcome] = _outcomes.GetValueOrDefault(r.Outcome) + 1;
            }
        }
        return Task.CompletedTask;
    }
}
