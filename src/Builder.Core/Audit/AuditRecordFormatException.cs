namespace Builder.Core.Audit;

/// <summary>An audit record that is not exactly valid; the message names the line and field.</summary>
internal sealed class AuditRecordFormatException : Exception
{
    public AuditRecordFormatException()
    {
    }

    public AuditRecordFormatException(string message) : base(message)
    {
    }

    public AuditRecordFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public AuditRecordFormatException(int line, string field, string problem)
        : base($"audit record line {line} ({field}): {problem}")
    {
        Line = line;
        Field = field;
    }

    /// <summary>1-based line number, 0 when the problem is the record as a whole.</summary>
    public int Line { get; }

    public string Field { get; } = "";
}
