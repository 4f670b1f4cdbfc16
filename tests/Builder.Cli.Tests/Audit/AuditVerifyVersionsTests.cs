using System.Security.Cryptography.X509Certificates;
using System.Text;
using Builder.Cli.Audit;
using Builder.Core.Audit;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using MimeKit;
using MimeKit.Cryptography;

namespace Builder.Cli.Tests.Audit;

/// <summary>
/// `builder audit verify` over a mailbox that spans the upgrade to audit format 2: v1 mails, then v2 mails of a
/// cross-pocket copy. The mails are signed here with MimeKit as the daemon signs them (detached S/MIME, base64 record).
/// </summary>
public sealed class AuditVerifyVersionsTests : IAsyncLifetime
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-verify-versions");
    private SigningCertificate? _certificate;

    public async Task InitializeAsync() => _certificate = await SigningCertificate.CreateAsync(_dir);

    public Task DisposeAsync() => Task.CompletedTask;

    private static AuditRecord Record(int formatVersion, long seq, AuditEvent ev, long build, AuditCopySource? copyOf = null) => new()
    {
        FormatVersion = formatVersion, Seq = seq, Prev = "", Event = ev, Build = build, Pocket = copyOf is null ? "dev" : "prod", Package = "hello",
        Requester = "alice", Key = "SHA256:" + new string('Q', 43), Acl = "sha256:" + new string('a', 64), Host = "b1", Time = DateTimeOffset.UnixEpoch,
        BuildDeps = formatVersion == 1 ? [new("gcc", "4:12.2.0-3")] : [new("gcc", "4:12.2.0-3", AuditDependencyOrigin.Mirror, new string('1', 64))],
        CopyOf = copyOf, Request = "builder-request 1\n", Signature = "sig\n",
        Result = ev == AuditEvent.BuildEnd ? AuditResult.Succeeded : null,
    };

    private async Task<string> MailboxAsync(string name, AuditCopySource copyOf, params AuditRecord[] more)
    {
        var maildir = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        using var signer = X509Certificate2.CreateFromPemFile(_certificate!.CertificateFile, _certificate.KeyFile);
        using var context = new TemporarySecureMimeContext();
        var prev = AuditFields.Genesis;
        AuditRecord[] records =
        [
            Record(1, 1, AuditEvent.BuildStart, 1), Record(1, 2, AuditEvent.BuildEnd, 1),
            Record(2, 3, AuditEvent.BuildStart, 3, copyOf), Record(2, 4, AuditEvent.BuildEnd, 3, copyOf), .. more,
        ];
        foreach (var template in records)
        {
            var text = AuditRecordFormat.Serialize(template with { Prev = prev });
            prev = AuditRecordFormat.Hash(text);
            var part = new TextPart("plain") { Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(text))), ContentTransferEncoding = ContentEncoding.Base64 };
            var message = new MimeMessage { Subject = $"[builder audit] seq {template.Seq} {AuditFields.EventName(template.Event)} build {template.Build}" };
            message.From.Add(MailboxAddress.Parse("builder@builder.test"));
            message.To.Add(MailboxAddress.Parse("audit@offsite.test"));
            message.Headers.Add("X-Builder-Audit", "1");
            message.Headers.Add("X-Builder-Audit-Seq", template.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
            message.Headers.Add("X-Builder-Audit-Hash", prev);
            message.Body = await MultipartSigned.CreateAsync(context, new CmsSigner(signer) { DigestAlgorithm = DigestAlgorithm.Sha256 }, part);
            await message.WriteToAsync(Path.Combine(maildir, "new", $"{1763830000 + template.Seq}.M{template.Seq}P1Q1.versions"));
        }
        return maildir;
    }

    private async Task<(ExitCode Code, string Output)> VerifyAsync(string maildir)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await AuditVerifyCommand.Create().Parse([maildir, "--cert", _certificate!.CertificateFile])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return ((ExitCode)code, output + error.ToString());
    }

    [Fact]
    public async Task A_mailbox_of_v1_then_v2_mails_is_intact()
    {
        var (code, output) = await VerifyAsync(await MailboxAsync("intact", new AuditCopySource(1, 2)));
        Assert.True(ExitCode.Ok == code, output);
        Assert.StartsWith("4 audit mails of 4 (seq 1-4); ", output, StringComparison.Ordinal);
        Assert.EndsWith("intact\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mailbox_of_v1_v2_then_v4_mails_with_provenance_is_intact()
    {
        var maildir = await MailboxAsync("v4", new AuditCopySource(1, 2),
            Record(4, 5, AuditEvent.BuildStart, 5), Record(4, 6, AuditEvent.BuildEnd, 5) with { Provenance = "sha256:" + new string('7', 64) });

        var (code, output) = await VerifyAsync(maildir);

        Assert.True(ExitCode.Ok == code, output);
        Assert.StartsWith("6 audit mails of 6 (seq 1-6); ", output, StringComparison.Ordinal);
        Assert.EndsWith("intact\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_naming_a_build_start_is_reported_as_bad_copy_of_at_the_copys_seq()
    {
        var (code, output) = await VerifyAsync(await MailboxAsync("bad-copy", new AuditCopySource(1, 1)));
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("bad-copy-of: seq 3: copy-of names build 1's succeeded build-end at seq 1, but seq 1 is build 1's build-start record\n",
            output, StringComparison.Ordinal);
        Assert.EndsWith("TAMPERED: 2 problem(s); first bad seq 3\n", output, StringComparison.Ordinal);
    }
}
