namespace Builder.Sources.Tagging;

public enum TagOutcome
{
    /// <summary>The annotated tag was made and pushed.</summary>
    Created,

    /// <summary>The tag already pointed to this commit (a retried publish): nothing changed.</summary>
    AlreadyPresent,
}
