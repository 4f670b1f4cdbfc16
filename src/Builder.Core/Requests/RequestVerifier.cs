using Builder.Core.Acl;
using Builder.Core.Signatures;

namespace Builder.Core.Requests;

/// <summary>
/// Authenticates a signed request against an ACL tree, in an order that spends no signature verification on a
/// request that is malformed or signed by a key the tree does not know. Authorization (the pocket's ACL) is left to
/// the caller, because cancelling needs to know whose build it is: call <see cref="AclTree.Check"/> next.
/// </summary>
public static class RequestVerifier
{
    public static RequestVerification Verify(ReadOnlySpan<byte> request, string armoredSignature, AclTree acl)
    {
        ArgumentNullException.ThrowIfNull(armoredSignature);
        ArgumentNullException.ThrowIfNull(acl);
        BuildRequest parsed;
        try
        {
            parsed = RequestFormat.Parse(request);
        }
        catch (RequestFormatException e)
        {
            return RequestVerification.Fail(RequestCheckFailure.MalformedRequest, e.Message);
        }
        SshSignature signature;
        try
        {
            signature = SshSignature.ParseArmored(armoredSignature);
        }
        catch (SshSignatureFormatException e)
        {
            return RequestVerification.Fail(RequestCheckFailure.MalformedSignature, e.Message, parsed);
        }
        if (signature.Namespace != SshSignature.BuilderNamespace)
        {
            return RequestVerification.Fail(RequestCheckFailure.WrongNamespace,
                $"the signature is for namespace {UntrustedText.Quote(signature.Namespace)}, not 'builder' (sign with ssh-keygen -Y sign -n builder)",
                parsed);
        }
        var key = acl.KeysOf(parsed.Requester).FirstOrDefault(k => k.BlobEquals(signature.PublicKey));
        if (key is null)
        {
            return RequestVerification.Fail(RequestCheckFailure.UnknownKey,
                $"the signing key {signature.PublicKey.Fingerprint} is not a key of requester '{parsed.Requester}' (keys/{parsed.Requester}.pub)",
                parsed);
        }
        if (!signature.Verify(request))
        {
            return RequestVerification.Fail(RequestCheckFailure.BadSignature, "the signature does not verify over the request", parsed);
        }
        return new RequestVerification(RequestCheckFailure.None, null, parsed, signature, key);
    }
}
