namespace Builder.Sources;

/// <summary>
/// Preparing the source failed (repository unreachable, commit not found, malformed debian/changelog,
/// unsafe tree, dpkg-source error, tag collision): the build ends as <c>failed</c> at stage preparing
/// (or publishing, for tags). Policy refusals are not exceptions; they are <see cref="Pockets.PolicyViolation"/> results.
/// </summary>
public sealed class SourceException : Exception
{
    public SourceException(string message)
        : base(message)
    {
    }

    public SourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SourceException()
    {
    }
}
