using System.Globalization;
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
/// `builder audit verify` on a mailbox that shows nothing (wiped, or only other mail) and on a continuous, correctly
/// signed chain in which an attempt's build-end was never written. Mails are signed here as the daemon signs them.
/// </summary>
public sealed class AuditVerifyVerdictTests : IAsyncLifetime
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-verify-verdicts");
    private SigningCertificate? _certificate;

    public async Task InitializeAsync() => _certificate = await SigningCertificate.CreateAsync(_dir);

    public Task DisposeAsync() => Task.CompletedTask;

    private string EmptyMaildir(string name)
    {
        var maildir = Path.Combine(_dir, name);
        foreach (var sub in new[] { "new", "cur", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }
        return maildir;
    }

    private static AuditRecord Record(long seq, AuditEvent ev, long build) => new()
    {
        Seq = seq, Prev = "", Event = ev, Build = build, Pocket = "dev", Package = "hello", Requester = "alice",
        Key = "SHA256:" + new string('Q', 43), Acl = "sha256:" + new string('a', 64), Host = "b1", Time = DateTimeOffset.UnixEpoch,
        BuildDeps = [new("gcc", "4:12.2.0-3", AuditDependencyOrigin.Mirror, new string('1', 64))], Request = "builder-request 1\n", Signature = "sig\n",
        Result = ev == AuditEvent.BuildEnd ? AuditResult.Succeeded : null,
    };

    private async Task<string> SignedMaildirAsync(string name, params AuditRecord[] records)
    {
        var maildir = EmptyMaildir(name);
        using var signer = X509Certificate2.CreateFromPemFile(_certificate!.CertificateFile, _certificate.KeyFile);
        using var context = new TemporarySecureMimeContext();
        var prev = AuditFields.Genesis;
        foreach (var template in records)
        {
            var text = AuditRecordFormat.Serialize(template with { Prev = prev });
            prev = AuditRecordFormat.Hash(text);
            var part = new TextPart("plain") { Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(text))), ContentTransferEncoding = ContentEncoding.Base64 };
            var message = Message($"[builder audit] seq {template.Seq} {AuditFields.EventName(template.Event)} build {template.Build}");
            message.Headers.Add("X-Builder-Audit", "1");
            message.Headers.Add("X-Builder-Audit-Seq", template.Seq.ToString(CultureInfo.InvariantCulture));
            message.Headers.Add("X-Builder-Audit-Hash", prev);
            message.Body = await MultipartSigned.CreateAsync(context, new CmsSigner(signer) { DigestAlgorithm = DigestAlgorithm.Sha256 }, part);
            await message.WriteToAsync(Path.Combine(maildir, "new", $"{1763830000 + template.Seq}.M{template.Seq}P1Q1.verdicts"));
        }
        return maildir;
    }

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse("builder@builder.test"));
        message.To.Add(MailboxAddress.Parse("audit@offsite.test"));
        return message;
    }

    private async Task<(ExitCode Code, string Output)> VerifyAsync(string maildir, params string[] extra)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await AuditVerifyCommand.Create().Parse([maildir, "--cert", _certificate!.CertificateFile, .. extra])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return ((ExitCode)code, output + error.ToString());
    }

    [Fact]
    public async Task A_wiped_Maildir_is_empty_with_its_own_exit_code()
    {
        var (code, output) = await VerifyAsync(EmptyMaildir("wiped"));
        Assert.True(ExitCode.AuditEmpty == code, output);
        Assert.Equal(32, (int)code);
        Assert.StartsWith("0 audit mails of 0 (no records); signer sha256 fingerprint ", output, StringComparison.Ordinal);
        Assert.EndsWith("\nempty: the mailbox holds no audit record\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Maildir_of_only_other_mail_is_empty()
    {
        var maildir = EmptyMaildir("other-mail");
        var message = Message("build 7 of hello succeeded");
        message.Body = new TextPart("plain") { Text = "hello 1.0-1 is published\n" };
        await message.WriteToAsync(Path.Combine(maildir, "new", "1763830001.M1P1Q1.notify"));

        var (code, output) = await VerifyAsync(maildir);
        Assert.True(ExitCode.AuditEmpty == code, output);
        Assert.StartsWith("0 audit mails of 1 (no records); ", output, StringComparison.Ordinal);
        Assert.EndsWith("\nempty: the mailbox holds no audit record\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_only_before_from_seq_are_empty_from_that_seq()
    {
        var maildir = await SignedMaildirAsync("before-from", Record(1, AuditEvent.BuildStart, 1), Record(2, AuditEvent.BuildEnd, 1));
        var (code, output) = await VerifyAsync(maildir, "--from-seq", "3");
        Assert.True(ExitCode.AuditEmpty == code, output);
        Assert.EndsWith("empty: the mailbox holds no audit record from seq 3 on\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_start_whose_build_end_was_never_written_is_open()
    {
        // Continuous and correctly signed: build 42's build-end was never written, and build 43 of the same package followed.
        var maildir = await SignedMaildirAsync("lost-end",
            Record(1, AuditEvent.BuildStart, 41), Record(2, AuditEvent.BuildEnd, 41),
            Record(3, AuditEvent.BuildStart, 42), Record(4, AuditEvent.BuildStart, 43), Record(5, AuditEvent.BuildEnd, 43));
        var (code, output) = await VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("open: seq 3: build 42 attempt 1: build-start seq 3 has no build-end\n", output, StringComparison.Ordinal);
        Assert.EndsWith("TAMPERED: 1 problem(s); first bad seq 3\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_still_running_is_not_open()
    {
        var maildir = await SignedMaildirAsync("running", Record(1, AuditEvent.BuildStart, 41), Record(2, AuditEvent.BuildEnd, 41), Record(3, AuditEvent.BuildStart, 42));
        var (code, output) = await VerifyAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);
        Assert.EndsWith("intact\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_exit_code_of_audit_verify()
    {
        Assert.Contains("Exit codes: 0 intact, 30 tampered (each problem is printed with its seq), 31 unreadable, 32 empty (no audit record).",
            AuditVerifyCommand.Create().Description, StringComparison.Ordinal);
    }
}
