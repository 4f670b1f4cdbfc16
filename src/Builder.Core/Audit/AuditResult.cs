namespace Builder.Core.Audit;

/// <summary>The <c>result</c> line of a build-end record.</summary>
public enum AuditResult
{
    Succeeded,
    Failed,
    Cancelled,
}
