namespace Builder.Daemon.Api;

/// <summary>
/// An error answer of the HTTP API: status code, a stable machine code, and a sentence for humans that names the
/// field, file or line at fault. Serialized as <c>{"error": code, "message": message}</c> (DESIGN.md).
/// </summary>
internal sealed record ApiError(int Status, string Code, string Message)
{
    public static ApiError Malformed(string message) => new(400, "malformed", message);

    public static ApiError TooLarge(string message) => new(413, "too-large", message);

    public static ApiError BadSignature(string message) => new(401, "bad-signature", message);

    public static ApiError UnknownKey(string message) => new(401, "unknown-key", message);

    public static ApiError Stale(string message) => new(401, "stale-request", message);

    public static ApiError Forbidden(string message) => new(403, "forbidden", message);

    public static ApiError PocketClosed(string message) => new(403, "pocket-closed", message);

    public static ApiError NotFound(string code, string message) => new(404, code, message);

    public static ApiError Replayed(string message) => new(409, "replayed-nonce", message);

    public static ApiError Conflict(string message) => new(409, "conflict", message);

    public static ApiError Policy(string message) => new(422, "policy", message);
}
