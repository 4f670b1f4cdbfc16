using System.Collections.Concurrent;
using Builder.Farm.Records;

namespace Builder.Farm.Tests.Support;

/// <summary>Keeps the records in memory (the PostgreSQL sink is tested in Builder.Store.Tests).</summary>
internal sealed class RecordingSink : ICompileJobSink
{
    private readonly ConcurrentQueue<CompileJobRecord> _records = new();

    public IReadOnlyList<CompileJobRecord> Records => [.. _records];

    private readonly ConcurrentQueue<int> _batchSizes = new();

    public int Batches => _batchSizes.Count;

    /// <summary>How many records each batch held, in the order they were written.</summary>
    public IReadOnlyList<int> BatchSizes => [.. _batchSizes];

    public Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken)
    {
        _batchSizes.Enqueue(batch.Count);
        foreach (var r in batch)
        {
            _records.Enqueue(r);
        }
        return Task.CompletedTask;
    }
}
