namespace Builder.Daemon.Audit;

/// <summary>A page of records in seq order; <see cref="Next"/> is the <c>from</c> of the next page, null on the last.</summary>
internal sealed record AuditRecordsPageDto(IReadOnlyList<AuditRecordDto> Records, long? Next);
