using System.Globalization;
using System.Text;
using Builder.Core.Acl;
using Builder.Core.Builds;
using Builder.Core.Requests;
using Builder.Core.Signatures;
using Builder.Daemon.Acl;
using Builder.Daemon.Api;
using Builder.Daemon.Hosting;
using Builder.Daemon.Packages;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Requests;

/// <summary>
/// Trust boundary 1 (SECURITY.md): decides whether a signed request is accepted, in this order — request format,
/// signature format, namespace, the requester's registered key, signature, issued window, pocket, ACL, package —
/// and stores it with its nonce. Every refusal carries a sentence naming what is wrong.
/// </summary>
internal sealed partial class RequestAcceptor(
    AclMonitor acl,
    BuildRepository builds,
    PackageCatalog packages,
    IOptionsMonitor<HttpApiOptions> http,
    IOptionsMonitor<PocketsOptions> pockets,
    TimeProvider time,
    ILogger<RequestAcceptor> logger)
{
    public const string SignatureNamespace = "builder";

    public async Task<AcceptResult> AcceptAsync(string requestText, string armoredSignature, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(requestText);
        if (bytes.Length > RequestFormat.MaxBytes)
        {
            // The same sentence the request parser uses, but status 413 rather than 400.
            return Refuse(null, ApiError.TooLarge($"request: the request is {bytes.Length} bytes; at most {RequestFormat.MaxBytes} are allowed"));
        }

        BuildRequest request;
        try
        {
            request = RequestFormat.Parse(bytes);
        }
        catch (RequestFormatException ex)
        {
            return Refuse(null, ApiError.Malformed($"request: {ex.Message}"));
        }
        if (!string.Equals(RequestFormat.Serialize(request), requestText, StringComparison.Ordinal))
        {
            // The parser is strict enough that this cannot happen; if it ever does, refuse rather than store bytes
            // that would not read back the same.
            return Refuse(request, ApiError.Malformed("request: not in canonical form"));
        }

        SshSignature signature;
        try
        {
            signature = SshSignature.ParseArmored(armoredSignature);
        }
        catch (FormatException ex)
        {
            return Refuse(request, ApiError.Malformed($"signature: {ex.Message}"));
        }
        if (!string.Equals(signature.Namespace, SignatureNamespace, StringComparison.Ordinal))
        {
            return Refuse(request, ApiError.BadSignature(
                $"signature: namespace is '{signature.Namespace}', expected '{SignatureNamespace}' (sign with ssh-keygen -Y sign -n {SignatureNamespace})"));
        }

        var tree = acl.Current;
        var keys = tree.KeysOf(request.Requester);
        if (keys.Count == 0)
        {
            return Refuse(request, ApiError.UnknownKey(
                $"requester '{request.Requester}' has no registered key (keys/{request.Requester}.pub in the ACL tree)"));
        }
        if (!keys.Any(k => k.BlobEquals(signature.PublicKey)))
        {
            return Refuse(request, ApiError.UnknownKey(
                $"the request is signed with key {signature.PublicKey.Fingerprint}, which is not registered for '{request.Requester}' (keys/{request.Requester}.pub)"));
        }
        if (!signature.Verify(bytes))
        {
            return Refuse(request, ApiError.BadSignature(
                "signature: does not verify over the request text (the request was changed after signing, or the signature is corrupt)"));
        }

        var now = time.GetUtcNow();
        var window = http.CurrentValue.ReplayWindow;
        var skew = request.Issued - now;
        if (skew.Duration() > window)
        {
            return Refuse(request, ApiError.Stale(string.Create(CultureInfo.InvariantCulture,
                $"request: issued {request.Issued:yyyy-MM-ddTHH:mm:ssZ} is {Describe(skew)} the server's time {now:yyyy-MM-ddTHH:mm:ssZ}; the limit is ±{window.TotalMinutes:0.#} min (check the clock)")));
        }

        if (!pockets.CurrentValue.ContainsKey(request.Pocket))
        {
            return Refuse(request, ApiError.NotFound("unknown-pocket", $"request: unknown pocket '{request.Pocket}'"));
        }

        return request.Action switch
        {
            RequestAction.Submit => await SubmitAsync(request, requestText, armoredSignature, signature, tree, cancellationToken),
            RequestAction.Cancel => await CancelAsync(request, tree, cancellationToken),
            _ => Refuse(request, ApiError.Malformed($"request: unsupported action '{request.Action}'")),
        };
    }

    private async Task<AcceptResult> SubmitAsync(BuildRequest request, string requestText, string armoredSignature, SshSignature signature,
        AclTree tree, CancellationToken cancellationToken)
    {
        if (Deny(tree, request, AclAction.Submit) is { } denied)
        {
            return Refuse(request, denied);
        }
        var package = request.Package!;
        if (!packages.MayExist(package))
        {
            return Refuse(request, ApiError.NotFound("unknown-package", $"request: unknown package '{package}' (no repository at {packages.RepositoryFor(package)})"));
        }
        try
        {
            var id = await builds.SubmitAsync(new NewBuild(
                request.Pocket, package, request.Commit, request.Requester, signature.PublicKey.Fingerprint, tree.Hash,
                requestText, armoredSignature, request.Nonce, request.Issued), cancellationToken);
            Log.Accepted(logger, id, request.Pocket, package, request.Requester, signature.PublicKey.Fingerprint);
            return AcceptResult.Accepted(id, BuildState.Queued);
        }
        catch (NonceReplayedException)
        {
            return Refuse(request, ApiError.Replayed($"request: nonce {request.Nonce} was already used; every request needs a fresh nonce"));
        }
    }

    private async Task<AcceptResult> CancelAsync(BuildRequest request, AclTree tree, CancellationToken cancellationToken)
    {
        var id = request.BuildId!.Value;
        var build = await builds.GetAsync(id, cancellationToken);
        if (build is null)
        {
            return Refuse(request, ApiError.NotFound("unknown-build", $"request: unknown build {id}"));
        }
        if (!string.Equals(build.Pocket, request.Pocket, StringComparison.Ordinal))
        {
            return Refuse(request, ApiError.Malformed($"request: field 'pocket' is '{request.Pocket}' but build {id} is in pocket '{build.Pocket}'"));
        }
        var own = string.Equals(build.Requester, request.Requester, StringComparison.Ordinal);
        if (Deny(tree, request, own ? AclAction.Cancel : AclAction.CancelAny) is { } denied)
        {
            return Refuse(request, own ? denied : ApiError.Forbidden(
                $"'{request.Requester}' may not cancel build {id} of '{build.Requester}': that needs the cancel-any flag in acl/{request.Pocket}"));
        }
        try
        {
            var outcome = await builds.CancelAsync(id, request.Nonce, request.Requester, request.Issued, cancellationToken);
            if (!outcome.Cancelled && !outcome.Requested)
            {
                return Refuse(request, ApiError.Conflict($"build {id} is already {BuildStates.Name(outcome.State)}"));
            }
            Log.CancelAccepted(logger, id, request.Requester, outcome.Cancelled);
            return AcceptResult.Accepted(id, outcome.State, outcome.Requested);
        }
        catch (NonceReplayedException)
        {
            return Refuse(request, ApiError.Replayed($"request: nonce {request.Nonce} was already used; every request needs a fresh nonce"));
        }
    }

    private static ApiError? Deny(AclTree tree, BuildRequest request, AclAction action)
    {
        var decision = tree.Check(request.Requester, request.Pocket, action);
        return decision.Outcome switch
        {
            AclOutcome.Allowed => null,
            AclOutcome.NoSuchPocket => ApiError.PocketClosed($"pocket '{request.Pocket}' has no ACL file (acl/{request.Pocket}); it is closed"),
            AclOutcome.PocketClosed => ApiError.PocketClosed(
                $"pocket '{request.Pocket}' is closed because its ACL does not parse: {string.Join("; ", decision.Errors.Select(e => e.ToString()))}"),
            _ => ApiError.Forbidden($"'{request.Requester}' is not allowed to {Verb(action)} in pocket '{request.Pocket}' (acl/{request.Pocket})"),
        };
    }

    private static string Verb(AclAction action) => action switch
    {
        AclAction.Submit => "submit builds",
        AclAction.Cancel => "cancel builds",
        _ => "cancel others' builds",
    };

    private static string Describe(TimeSpan skew)
    {
        var abs = skew.Duration();
        var amount = abs.TotalHours >= 1 ? $"{abs.TotalHours:0.#} h" : abs.TotalMinutes >= 1 ? $"{abs.TotalMinutes:0.#} min" : $"{abs.TotalSeconds:0} s";
        return skew < TimeSpan.Zero ? $"{amount} before" : $"{amount} after";
    }

    private AcceptResult Refuse(BuildRequest? request, ApiError error)
    {
        Log.Refused(logger, error.Status, error.Code, request?.Requester, request?.Pocket);
        return AcceptResult.Refused(error);
    }

    private static partial class Log
    {
        [LoggerMessage(8101, LogLevel.Information, "Accepted build {BuildId}: {Pocket}/{Package} by {Requester} ({KeyFingerprint})")]
        public static partial void Accepted(ILogger logger, long buildId, string pocket, string package, string requester, string keyFingerprint);

        [LoggerMessage(8102, LogLevel.Information, "Accepted cancel of build {BuildId} by {Requester} (cancelled now: {CancelledNow})")]
        public static partial void CancelAccepted(ILogger logger, long buildId, string requester, bool cancelledNow);

        [LoggerMessage(8103, LogLevel.Warning, "Refused request: {Status} {ErrorCode} (requester {Requester}, pocket {Pocket})")]
        public static partial void Refused(ILogger logger, int status, string errorCode, string? requester, string? pocket);
    }
}
