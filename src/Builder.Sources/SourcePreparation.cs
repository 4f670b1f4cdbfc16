using Builder.Sources.Pockets;

namespace Builder.Sources;

/// <summary>
/// What preparing a build's source ends in: a <see cref="PreparedSource"/> to build, or a
/// <see cref="PolicyViolation"/> that ends the build as rejected. Failures are <see cref="SourceException"/>s.
/// </summary>
public abstract record SourcePreparation
{
    // Closed: callers can rely on a prepared source or a policy violation and nothing else.
    private protected SourcePreparation()
    {
    }
}
