using System.CommandLine;
using Builder.Audit.Verify;
using Builder.Core.Audit;

namespace Builder.Cli.Audit;

/// <summary>
/// <c>builder audit verify &lt;Maildir|mbox&gt; [--cert FILE] [--from-seq N] [--against URL] [--max-age DURATION]</c>: what
/// an off-site auditor runs over the audit mailbox. Exit 0 intact, 30 tampered (the findings name each seq; a stale
/// newest record with --max-age), 31 unreadable, 32 empty: a mailbox without a single audit record proves nothing, so it
/// never passes as intact.
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var mailbox = new Argument<string>("mailbox") { Description = "The audit mailbox: a Maildir directory or an mbox file" };
        var cert = new Option<string?>("--cert") { Description = "PEM certificate the records must be signed with (the daemon's Audit:SigningCertificateFile)" };
        var fromSeq = new Option<long>("--from-seq") { Description = "Ignore records before this seq", DefaultValueFactory = _ => 1 };
        var against = new Option<string?>("--against") { Description = "The daemon's URL: also compare with its records and list what the mailbox lacks" };
        var maxAge = new Option<string?>("--max-age")
        {
            Description = "Tampered (stale) when the newest record is older than this: 2 x Audit:CheckpointInterval, e.g. 2h, 90m, 1d or hh:mm:ss",
        };
        var command = new Command("verify", """
            Check every audit mail's signature and record hash, and the chain: gaps, forks, duplicates, reordering, copy sources,
            attempts left open (a build-start without its build-end although later records show the attempt over).
            Exit codes: 0 intact, 30 tampered (each problem is printed with its seq), 31 unreadable, 32 empty (no audit record).
            """)
        {
            mailbox, cert, fromSeq, against, maxAge,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var from = parse.GetValue(fromSeq);
            if (from < 1)
            {
                await error.WriteLineAsync("--from-seq must be at least 1");
                return (int)ExitCode.Usage;
            }
            Uri? server = null;
            if (parse.GetValue(against) is { } url &&
                (!Uri.TryCreate(url, UriKind.Absolute, out server) || server.Scheme is not ("http" or "https")))
            {
                await error.WriteLineAsync($"--against: '{url}' is not an http(s) URL");
                return (int)ExitCode.Usage;
            }
            TimeSpan? age = null;
            if (parse.GetValue(maxAge) is { } ageText)
            {
                if (!AuditDuration.TryParse(ageText, out var parsed))
                {
                    await error.WriteLineAsync($"--max-age: '{ageText}' is not {AuditDuration.Forms} (at most 366 days)");
                    return (int)ExitCode.Usage;
                }
                age = parsed;
            }
            AuditVerification result;
            try
            {
                result = await new AuditVerifier().VerifyAsync(parse.GetValue(mailbox)!,
                    new AuditVerifyOptions(parse.GetValue(cert), from, server, age), cancellationToken);
            }
            catch (AuditMailboxException e)
            {
                await error.WriteLineAsync($"audit verify: unreadable: {e.Message}");
                return (int)ExitCode.AuditUnreadable;
            }
            return (int)await ReportAsync(output, result, from);
        });
        return command;
    }

    private static async Task<ExitCode> ReportAsync(TextWriter output, AuditVerification result, long fromSeq)
    {
        var report = result.Report;
        var range = report.FirstSeq is { } first ? $"seq {first}-{report.LastSeq}" : "no records";
        await output.WriteLineAsync($"{result.AuditMails} audit mails of {result.MailsRead} ({range}); signer sha256 fingerprint {result.SignerFingerprint ?? "none"}");
        foreach (var finding in report.Findings)
        {
            await output.WriteLineAsync($"{Kind(finding.Kind)}: {finding}");
        }
        if (report.Empty)
        {
            await output.WriteLineAsync(fromSeq > 1 ? $"empty: the mailbox holds no audit record from seq {fromSeq} on" : "empty: the mailbox holds no audit record");
            return ExitCode.AuditEmpty;
        }
        if (report.Intact)
        {
            await output.WriteLineAsync("intact");
            return ExitCode.Ok;
        }
        var firstBad = report.FirstBadSeq is { } seq ? $"; first bad seq {seq}" : "";
        await output.WriteLineAsync($"TAMPERED: {report.Findings.Count} problem(s){firstBad}");
        return ExitCode.AuditTampered;
    }

    private static string Kind(AuditFindingKind kind) => kind switch
    {
        AuditFindingKind.Malformed => "malformed",
        AuditFindingKind.BadSignature => "bad-signature",
        AuditFindingKind.HashMismatch => "hash-mismatch",
        AuditFindingKind.Gap => "gap",
        AuditFindingKind.Duplicate => "duplicate",
        AuditFindingKind.Fork => "fork",
        AuditFindingKind.BrokenLink => "broken-link",
        AuditFindingKind.Reordered => "reordered",
        AuditFindingKind.ServerMismatch => "server-mismatch",
        AuditFindingKind.NotDelivered => "not-delivered",
        AuditFindingKind.BadCopySource => "bad-copy-of",
        AuditFindingKind.Open => "open",
        AuditFindingKind.CheckpointHead => "checkpoint-head",
        AuditFindingKind.Stale => "stale",
        _ => kind.ToString(),
    };
}
