using Builder.Core.Signatures;

namespace Builder.Core.Requests;

/// <summary>
/// Result of <see cref="RequestVerifier.Verify"/>: either the authenticated request with the signature and the ACL key
/// that made it, or the failure and a sentence for the submitter.
/// </summary>
public sealed record RequestVerification(
    RequestCheckFailure Failure,
    string? Message,
    BuildRequest? Request,
    SshSignature? Signature,
    SshPublicKey? Key)
{
    public bool IsAuthentic => Failure == RequestCheckFailure.None;

    internal static RequestVerification Fail(RequestCheckFailure failure, string message, BuildRequest? request = null) =>
        new(failure, message, request, null, null);
}
