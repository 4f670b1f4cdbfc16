using System.Text;
using Builder.Core.Acl;
using Builder.Core.Requests;
using Builder.Core.Tests.Acl;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Requests;

public sealed class RequestVerifierTests : IDisposable
{
    private readonly AclTreeDirectory _tree = new AclTreeDirectory().Principals("alice", "bob").Write("acl/dev", "alice\n");

    public void Dispose() => _tree.Dispose();

    private static byte[] Request(string requester = "alice") => Encoding.UTF8.GetBytes(RequestFormat.Serialize(
        new BuildRequest(RequestAction.Submit, "dev", "hello", null, null, requester, RequestFormat.NewNonce(), DateTimeOffset.UnixEpoch.AddYears(56))));

    [Fact]
    public void Request_signed_by_a_key_of_the_requester_is_authentic()
    {
        var request = Request();

        var result = RequestVerifier.Verify(request, _tree.Key("alice").Sign(request, "builder"), _tree.Load());

        Assert.True(result.IsAuthentic, result.Message);
        Assert.Equal("alice", result.Request!.Requester);
        Assert.Equal(_tree.Key("alice").Fingerprint, result.Key!.Fingerprint);
        Assert.Equal(_tree.Key("alice").Fingerprint, result.Signature!.PublicKey.Fingerprint);
    }

    [Fact]
    public void Signature_by_a_key_not_registered_for_the_requester_is_refused()
    {
        var request = Request();

        var result = RequestVerifier.Verify(request, _tree.Key("bob").Sign(request, "builder"), _tree.Load());

        Assert.Equal(RequestCheckFailure.UnknownKey, result.Failure);
        Assert.Equal($"the signing key {_tree.Key("bob").Fingerprint} is not a key of requester 'alice' (keys/alice.pub)", result.Message);
    }

    [Fact]
    public void Requester_unknown_to_the_tree_is_refused_as_unknown_key()
    {
        var request = Request("mallory");
        var mallory = TestSigningKey.Generate();

        var result = RequestVerifier.Verify(request, mallory.Sign(request, "builder"), _tree.Load());

        Assert.Equal(RequestCheckFailure.UnknownKey, result.Failure);
    }

    [Fact]
    public void Right_key_with_wrong_namespace_is_refused()
    {
        var request = Request();

        var result = RequestVerifier.Verify(request, _tree.Key("alice").Sign(request, "git"), _tree.Load());

        Assert.Equal(RequestCheckFailure.WrongNamespace, result.Failure);
        Assert.Equal("the signature is for namespace 'git', not 'builder' (sign with ssh-keygen -Y sign -n builder)", result.Message);
    }

    [Fact]
    public void Payload_changed_after_signing_is_refused()
    {
        var request = Request();
        var signature = _tree.Key("alice").Sign(request, "builder");
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(request).Replace("hello", "hellp", StringComparison.Ordinal));

        var result = RequestVerifier.Verify(changed, signature, _tree.Load());

        Assert.Equal(RequestCheckFailure.BadSignature, result.Failure);
        Assert.Equal("the signature does not verify over the request", result.Message);
    }

    [Fact]
    public void Malformed_request_is_refused_before_the_signature_is_looked_at()
    {
        var result = RequestVerifier.Verify("builder-request 1\n"u8, "not a signature", _tree.Load());

        Assert.Equal(RequestCheckFailure.MalformedRequest, result.Failure);
        Assert.Equal("field 'action' is missing (the request ends after line 1)", result.Message);
    }

    [Fact]
    public void Bad_armor_is_refused()
    {
        var result = RequestVerifier.Verify(Request(), "-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----\n", _tree.Load());

        Assert.Equal(RequestCheckFailure.MalformedSignature, result.Failure);
        Assert.Equal("line 2 of the signature is not base64", result.Message);
    }

    [Fact]
    public void Authentic_request_still_needs_the_pocket_acl()
    {
        var request = Request("bob");
        var tree = _tree.Load();

        var result = RequestVerifier.Verify(request, _tree.Key("bob").Sign(request, "builder"), tree);

        Assert.True(result.IsAuthentic);
        Assert.Equal(AclOutcome.NotListed, tree.Check("bob", result.Request!.Pocket, AclAction.Submit).Outcome);
    }
}
