using Builder.Store.Builds;

namespace Builder.Daemon.Api;

/// <summary>A build-dependency of the build's latest attempt: what its VM installed and where it came from (<c>mirror</c> or <c>pocket:&lt;name&gt;</c>).</summary>
internal sealed record BuildDependencyDto(string Name, string Version, string? Architecture, string Origin, string Sha256)
{
    public static BuildDependencyDto Create(BuildDependencyRecord d) => new(d.Name, d.Version, d.Architecture, d.Origin, d.Sha256);
}
