namespace Builder.Core.Requests;

/// <summary>
/// A parsed build request (DESIGN.md "Build request"). <see cref="Package"/> and <see cref="Commit"/> belong to
/// <see cref="RequestAction.Submit"/>, <see cref="BuildId"/> to <see cref="RequestAction.Cancel"/>.
/// The signed bytes are <see cref="RequestFormat.Serialize"/> of it; <see cref="Issued"/> has whole seconds.
/// </summary>
public sealed record BuildRequest(
    RequestAction Action,
    string Pocket,
    string? Package,
    string? Commit,
    long? BuildId,
    string Requester,
    string Nonce,
    DateTimeOffset Issued);
