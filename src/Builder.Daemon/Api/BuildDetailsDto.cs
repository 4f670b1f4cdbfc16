using Builder.Store.Builds;

namespace Builder.Daemon.Api;

/// <summary>
/// One build with its history and the signed request exactly as accepted, so anyone can re-check the requester with
/// <c>ssh-keygen -Y verify -n builder</c> without trusting the server.
/// </summary>
public sealed record BuildDetailsDto(BuildDto Build, string KeyFingerprint, string AclHash, string Request, string Signature, IReadOnlyList<BuildEventDto> Events)
{
    public static BuildDetailsDto From(BuildRecord b, IReadOnlyList<BuildEventRecord> events) =>
        new(BuildDto.From(b), b.KeyFingerprint, b.AclHash, b.Request, b.Signature, [.. events.Select(BuildEventDto.Create)]);
}
