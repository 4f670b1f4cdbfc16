using System.Globalization;
using System.Text;

namespace Builder.Cli;

/// <summary>The exit-code table printed by <c>builder --help</c> (README lists the same).</summary>
internal static class ExitCodeHelp
{
    private static readonly (ExitCode Code, string Meaning)[] Rows =
    [
        (ExitCode.Ok, "success (audit verify: the chain is intact; provenance verify: verified)"),
        (ExitCode.Failed, "the operation failed (acl check: the tree has errors)"),
        (ExitCode.Usage, "bad command line"),
        (ExitCode.Config, "no or bad configuration: server URL, principal, key"),
        (ExitCode.Unreachable, "the server could not be reached"),
        (ExitCode.SigningFailed, "ssh-keygen could not sign the request"),
        (ExitCode.Malformed, "400/413: request malformed or too large"),
        (ExitCode.Unauthorized, "401: bad signature, unknown key, or issued time outside the window"),
        (ExitCode.Forbidden, "403: not in the pocket's ACL, or the pocket is closed"),
        (ExitCode.NotFound, "404: unknown pocket, package or build"),
        (ExitCode.Conflict, "409: replayed nonce, or the build already finished"),
        (ExitCode.Policy, "422: refused by pocket policy"),
        (ExitCode.ServerError, "server error or unexpected answer"),
        (ExitCode.BuildFailed, "--wait: the build failed"),
        (ExitCode.BuildRejected, "--wait: the build was rejected by policy"),
        (ExitCode.BuildCancelled, "--wait: the build was cancelled"),
        (ExitCode.AuditTampered, "audit verify: tampering found (hash, signature, gap, fork, duplicate, order, open attempt)"),
        (ExitCode.AuditUnreadable, "audit verify: the mailbox could not be read"),
        (ExitCode.AuditEmpty, "audit verify: the mailbox holds no audit record"),
        (ExitCode.ProvenanceInvalid, "provenance verify: the signature does not verify, or the envelope is malformed"),
        (ExitCode.ProvenanceNotSubject, "provenance verify: a file is not a subject with its sha256"),
        (ExitCode.ProvenanceUnreadable, "provenance verify: the envelope, certificate or a file cannot be read"),
    ];

    public static string Text()
    {
        var sb = new StringBuilder("Exit codes:\n");
        foreach (var (code, meaning) in Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {(int)code,2}  {meaning}\n");
        }
        return sb.ToString();
    }

    /// <summary>Every enum value has a row (checked by a test).</summary>
    public static IEnumerable<ExitCode> Documented => Rows.Select(r => r.Code);
}
