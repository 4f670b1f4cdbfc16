using System.Text;
using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Audit.Verify;
using Builder.Core.Audit;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Time.Testing;

namespace Builder.Audit.Tests.Verify;

/// <summary>Mutated audit mails and random mailboxes: the verifier reports, it never crashes or hangs.</summary>
public sealed class AuditVerifierFuzzTests
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-fuzz");

    [Fact]
    public async Task Mutated_signed_mails_never_crash_the_verifier_and_damage_to_the_record_is_always_found()
    {
        var certificate = await SigningCertificate.CreateAsync(_dir);
        var options = Microsoft.Extensions.Options.Options.Create(new AuditOptions
        {
            From = "builder@builder.test", SigningCertificateFile = certificate.CertificateFile, SigningKeyFile = certificate.KeyFile, HostName = "b1",
        });
        options.Value.To.Add("audit@offsite.test");
        using var signer = new AuditMessageSigner(options);
        var composer = new AuditMailComposer(options, signer, new FakeTimeProvider());
        var text = AuditRecordFormat.Serialize(new AuditRecord
        {
            Seq = 1, Prev = "genesis", Event = AuditEvent.BuildStart, Build = 7, Pocket = "dev", Package = "hello", Requester = "alice",
            Key = "SHA256:" + new string('Q', 43), Acl = "sha256:" + new string('a', 64), Host = "b1", Time = DateTimeOffset.UnixEpoch,
            Request = "builder-request 1\n", Signature = "sig\n",
        });
        var stored = new AuditMailRecord(1, AuditRecordFormat.Hash(text), text, 7, "build-start");
        using var mail = new MemoryStream();
        await (await composer.ComposeAsync(stored, CancellationToken.None)).WriteToAsync(mail);
        var original = mail.ToArray();
        var bodyStart = Encoding.ASCII.GetString(original).IndexOf("filename=audit-1.txt", StringComparison.Ordinal);
        var headerEnd = Encoding.ASCII.GetString(original).IndexOf("\r\n\r\n", StringComparison.Ordinal);

        var maildir = Path.Combine(_dir, "Maildir");
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        var file = Path.Combine(maildir, "new", "1.M1P1Q1.fuzz");
        var random = new Random(1122);
        var verifier = new AuditVerifier();
        var verifyOptions = new AuditVerifyOptions(certificate.CertificateFile);
        await File.WriteAllBytesAsync(file, original);
        Assert.True((await verifier.VerifyAsync(maildir, verifyOptions, CancellationToken.None)).Report.Intact);

        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])original.Clone();
            // Half the mutations hit the signed part (record or signature), half anywhere.
            var at = i % 2 == 0 ? random.Next(bodyStart, bytes.Length) : random.Next(bytes.Length);
            bytes[at] = (byte)random.Next(256);
            await File.WriteAllBytesAsync(file, bytes);

            var result = await verifier.VerifyAsync(maildir, verifyOptions, CancellationToken.None);

            // Either the mutation was harmless (an unsigned header, base64 whitespace) and the record is exactly
            // the original, or there is a finding. A mail whose identifying headers were all destroyed is no longer
            // an audit mail (the mailbox is then empty); in a real mailbox that is a gap before the next record (or a
            // miss --against shows).
            if (result.Report.Intact || result.Report.Empty)
            {
                Assert.True(result.AuditMails == 1 || at < headerEnd, $"mutation at {at} hid the record");
            }
            else
            {
                Assert.NotEmpty(result.Report.Findings);
            }
        }
    }

    [Fact]
    public async Task Random_bytes_as_an_mbox_are_reported_or_refused_but_never_crash()
    {
        var random = new Random(5);
        var verifier = new AuditVerifier();
        for (var i = 0; i < 200; i++)
        {
            var mbox = Path.Combine(_dir, $"random{i}.mbox");
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                "From x Sun Nov 22 17:30:00 2026\nX-Builder-Audit: 1\nX-Builder-Audit-Seq: 3\n"u8.ToArray().CopyTo(bytes, 0);
            }
            await File.WriteAllBytesAsync(mbox, bytes);
            try
            {
                var result = await verifier.VerifyAsync(mbox, new AuditVerifyOptions(), CancellationToken.None);
                Assert.True(result.AuditMails == 0 || !result.Report.Intact);
            }
            catch (AuditMailboxException e)
            {
                Assert.Contains("not an mbox file", e.Message, StringComparison.Ordinal);
            }
        }
    }
}
