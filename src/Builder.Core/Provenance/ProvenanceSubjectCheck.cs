namespace Builder.Core.Provenance;

/// <summary>The statement's subjects and every given file that does not match one (empty: all match).</summary>
public sealed record ProvenanceSubjectCheck(IReadOnlyList<ProvenanceFile> Subjects, IReadOnlyList<string> Errors)
{
    public bool Ok => Errors.Count == 0;
}
