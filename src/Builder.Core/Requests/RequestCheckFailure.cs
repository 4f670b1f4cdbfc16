namespace Builder.Core.Requests;

/// <summary>Why <see cref="RequestVerifier"/> refused a signed request (the daemon maps these to status codes).</summary>
public enum RequestCheckFailure
{
    None,

    /// <summary>The request text is not canonical (400).</summary>
    MalformedRequest,

    /// <summary>The armored signature does not parse: armor, base64, structure, size or algorithm (400 or 401, the API decides).</summary>
    MalformedSignature,

    /// <summary>The signature was made for another namespace than <c>builder</c> (401).</summary>
    WrongNamespace,

    /// <summary>The signing key is not one of the requester's keys in the ACL tree (401).</summary>
    UnknownKey,

    /// <summary>The signature does not verify over the request bytes (401).</summary>
    BadSignature,
}
