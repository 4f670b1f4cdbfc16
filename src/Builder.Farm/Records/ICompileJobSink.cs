namespace Builder.Farm.Records;

/// <summary>Where compile-job records go (Builder.Store implements it over the compile_jobs table).</summary>
public interface ICompileJobSink
{
    /// <summary>Stores one batch, all or nothing. Records of one build arrive in <see cref="CompileJobRecord.Seq"/> order.</summary>
    Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken);
}
