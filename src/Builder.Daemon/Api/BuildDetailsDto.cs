using Builder.Core.Builds;
using Builder.Store.Builds;

namespace Builder.Daemon.Api;

/// <summary>
/// One build with its history and the signed request exactly as accepted, so anyone can re-check the requester with
/// <c>ssh-keygen -Y verify -n builder</c> without trusting the server, the time its latest attempt spent in each stage, and
/// that attempt's build-dependencies with their origins.
/// </summary>
internal sealed record BuildDetailsDto(
    BuildDto Build, string KeyFingerprint, string AclHash, string Request, string Signature, IReadOnlyList<BuildEventDto> Events, StageTimingsDto Stages,
    IReadOnlyList<BuildDependencyDto> BuildDeps)
{
    public static BuildDetailsDto From(BuildRecord b, IReadOnlyList<BuildEventRecord> events, StageTimings stages, IReadOnlyList<BuildDependencyRecord> deps) =>
        new(BuildDto.From(b), b.KeyFingerprint, b.AclHash, b.Request, b.Signature, [.. events.Select(BuildEventDto.Create)], StageTimingsDto.From(stages),
            [.. deps.Select(BuildDependencyDto.Create)]);
}
