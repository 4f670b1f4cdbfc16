using System.Collections.Concurrent;
using Builder.Farm.Records;

namespace Builder.Farm.Tests.Support;

/// <summary>Keeps the records in memory (the PostgreSQL sink is tested in Builder.Store.Tests).</summary>
internal sealed class RecordingSink : ICompileJobSink
{
    private readonly ConcurrentQueue<CompileJobRecord> _records = new();

    public IReadOnlyList<CompileJobRecord> Records => [.. _records];

    public int Batches { get; private set; }

    public Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken)
    {
        Batches++;
        foreach (var r in batch)
        {
            _records.Enqueue(r);
        }
        return Task.CompletedTask;
    }
}
