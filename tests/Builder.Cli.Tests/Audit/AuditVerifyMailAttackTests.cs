using System.Text;
using Builder.Cli.Audit;
using Builder.Core.Audit;
using MimeKit;
using MimeKit.Cryptography;
using static Builder.Cli.Tests.Audit.AuditAttackMailbox;

namespace Builder.Cli.Tests.Audit;

/// <summary>
/// Attacks on the mails themselves (MIME structure, encodings, unsigned headers, size, NUL bytes), each over a real
/// signed Maildir checked by the CLI. The base mailbox: seq 1-2 build 1, seq 3-4 build 2, seq 5 a checkpoint.
/// </summary>
public sealed class AuditVerifyMailAttackTests : IAsyncLifetime
{
    private AuditAttackMailbox? _box;

    /// <summary>When this test runs (xunit makes an instance per test), so ages are measured from it.</summary>
    private DateTimeOffset Now { get; } = WholeSecondsNow();

    private AuditAttackMailbox Box => _box!;

    public async Task InitializeAsync() => _box = await CreateAsync("audit-attack-mail");

    public Task DisposeAsync()
    {
        _box?.Dispose();
        return Task.CompletedTask;
    }

    private List<string> Texts() => Link(
    [
        Start(1, Now.AddHours(-3)), End(1, Now.AddHours(-3).AddMinutes(4)), Start(2, Now.AddHours(-2)), End(2, Now.AddHours(-2).AddMinutes(7)),
        Checkpoint(Now.AddMinutes(-20)),
    ]);

    private async Task<(string Maildir, Dictionary<long, string> Files)> MailboxAsync(string name)
    {
        var maildir = Box.NewMaildir(name);
        return (maildir, await Box.WriteAsync(maildir, Texts()));
    }

    private static async Task<MultipartSigned> SignedBodyAsync(string file) => Assert.IsType<MultipartSigned>((await MimeMessage.LoadAsync(file)).Body);

    [Fact]
    public async Task The_untouched_base_mailbox_is_intact()
    {
        var (maildir, _) = await MailboxAsync("base");
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "1h");
        Assert.True(ExitCode.Ok == code, output);
        Assert.StartsWith("5 audit mails of 5 (seq 1-5); ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_record_in_a_signed_part_with_a_forged_unsigned_sibling_is_malformed()
    {
        var (maildir, files) = await MailboxAsync("sibling");
        var message = await MimeMessage.LoadAsync(files[3]);
        var forged = Texts()[2].Replace("requester alice\n", "requester mallory\n", StringComparison.Ordinal);
        message.Body = new Multipart("mixed") { message.Body!, new TextPart("plain") { Text = forged } };
        await message.WriteToAsync(files[3]);

        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith($"\nmalformed: seq 3: {FileName(3)}: not an S/MIME multipart/signed mail with the record as its first part\nTAMPERED: 1 problem(s); first bad seq 3\n",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_record_in_the_unsigned_preamble_and_epilogue_is_never_read()
    {
        var (maildir, files) = await MailboxAsync("preamble");
        var message = await MimeMessage.LoadAsync(files[3]);
        var forged = Texts()[2].Replace("requester alice\n", "requester mallory\n", StringComparison.Ordinal);
        var signed = Assert.IsType<MultipartSigned>(message.Body);
        signed.Preamble = forged;
        signed.Epilogue = forged;
        await message.WriteToAsync(files[3]);
        Assert.Contains("requester mallory", await File.ReadAllTextAsync(files[3]), StringComparison.Ordinal);

        // The signed record is untouched, and it is the only thing read.
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task Two_signed_records_in_one_mail_are_malformed_and_the_other_seq_a_gap()
    {
        var (maildir, files) = await MailboxAsync("two-in-one");
        var message = await MimeMessage.LoadAsync(files[3]);
        message.Body = new Multipart("mixed") { message.Body!, await SignedBodyAsync(files[4]) };
        await message.WriteToAsync(files[3]);
        File.Delete(files[4]);

        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nmalformed: seq 3: {FileName(3)}: not an S/MIME multipart/signed mail with the record as its first part\n", output, StringComparison.Ordinal);
        Assert.Contains("\ngap: seq 4: missing from the mailbox\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsigned_headers_that_disagree_with_the_signed_record_are_reported_or_ignored_but_never_believed()
    {
        var (maildir, files) = await MailboxAsync("headers");
        var message = await MimeMessage.LoadAsync(files[3]);
        message.Headers["X-Builder-Audit-Seq"] = "4";
        message.Headers["X-Builder-Audit-Build"] = "9";
        message.Subject = "[builder audit] seq 4 build-end build 9";
        await message.WriteToAsync(files[3]);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        // Seq 3 is still seq 3 (no gap, no duplicate of 4): only the lying header is reported.
        Assert.EndsWith($"\nmalformed: seq 3: {FileName(3)}: the mail's header says seq 4 but the signed record is seq 3\nTAMPERED: 1 problem(s); first bad seq 3\n",
            output, StringComparison.Ordinal);

        message.Headers["X-Builder-Audit-Seq"] = "3";
        message.Headers["X-Builder-Audit-Hash"] = AuditRecordFormat.Hash(Texts()[3]);
        await message.WriteToAsync(files[3]);
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nhash-mismatch: seq 3: {FileName(3)}: the mail announces {AuditRecordFormat.Hash(Texts()[3])} but the record hashes to {AuditRecordFormat.Hash(Texts()[2])}\n",
            output, StringComparison.Ordinal);

        // Subject and X-Builder-Audit-Build are for humans: a lying subject alone is not judged.
        message.Headers["X-Builder-Audit-Hash"] = AuditRecordFormat.Hash(Texts()[2]);
        await message.WriteToAsync(files[3]);
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task The_signed_part_re_encoded_as_quoted_printable_is_a_bad_signature()
    {
        var (maildir, files) = await MailboxAsync("quoted-printable");
        var message = await MimeMessage.LoadAsync(files[3]);
        var part = Assert.IsType<TextPart>(Assert.IsType<MultipartSigned>(message.Body)[0]);
        part.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        await message.WriteToAsync(files[3]);
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", await File.ReadAllTextAsync(files[3]), StringComparison.Ordinal);

        // The decoded record is the same bytes, but the signature covers the part as sent.
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nbad-signature: seq 3: {FileName(3)}: signature does not verify: ", output, StringComparison.Ordinal);
        Assert.EndsWith("TAMPERED: 1 problem(s); first bad seq 3\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mailbox_stored_with_CRLF_or_LF_line_ends_is_intact_either_way()
    {
        var (maildir, files) = await MailboxAsync("crlf");
        foreach (var file in files.Values)
        {
            var text = (await File.ReadAllTextAsync(file)).Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(file, files[1] == file || files[3] == file ? text : text.Replace("\n", "\r\n", StringComparison.Ordinal));
        }
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "1h");
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task A_signed_mail_wrapped_in_another_signature_is_malformed()
    {
        var (maildir, files) = await MailboxAsync("nested");
        // A relay that signs what it forwards: mallory's multipart/signed around the daemon's multipart/signed.
        var message = await MimeMessage.LoadAsync(files[3]);
        using (var context = new TemporarySecureMimeContext())
        {
            using var mallory = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
                Path.Combine(Box.Dir, "mallory.pem"), Path.Combine(Box.Dir, "mallory.key"));
            message.Body = await MultipartSigned.CreateAsync(context,
                new CmsSigner(mallory) { DigestAlgorithm = DigestAlgorithm.Sha256 }, message.Body!);
        }
        await message.WriteToAsync(files[3]);

        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith($"\nmalformed: seq 3: {FileName(3)}: not an S/MIME multipart/signed mail with the record as its first part\nTAMPERED: 1 problem(s); first bad seq 3\n",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_with_the_signature_of_another_mail_is_a_bad_signature()
    {
        var (maildir, files) = await MailboxAsync("swapped-signature");
        var message = await MimeMessage.LoadAsync(files[3]);
        var signed = Assert.IsType<MultipartSigned>(message.Body);
        var other = await SignedBodyAsync(files[4]);
        var signature = other[1];
        other.RemoveAt(1);
        signed.RemoveAt(1);
        signed.Add(signature);
        await message.WriteToAsync(files[3]);

        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nbad-signature: seq 3: {FileName(3)}: signature does not verify: ", output, StringComparison.Ordinal);
        Assert.EndsWith("TAMPERED: 1 problem(s); first bad seq 3\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NUL_bytes_in_the_signed_part_are_found_and_in_an_unsigned_header_change_nothing()
    {
        var (maildir, files) = await MailboxAsync("nul");
        var bytes = await File.ReadAllBytesAsync(files[3]);
        var text = Encoding.ASCII.GetString(bytes);
        var body = text.IndexOf("\n\n", text.IndexOf("filename=audit-3.txt", StringComparison.Ordinal), StringComparison.Ordinal) + 2 + 20;
        var damaged = (byte[])bytes.Clone();
        damaged[body] = 0;
        await File.WriteAllBytesAsync(files[3], damaged);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains(": seq 3: ", output, StringComparison.Ordinal);
        Assert.EndsWith("first bad seq 3\n", output, StringComparison.Ordinal);

        // A NUL in the subject: the signed record is intact.
        var subject = text.IndexOf("Subject: ", StringComparison.Ordinal) + 12;
        damaged = (byte[])bytes.Clone();
        damaged[subject] = 0;
        await File.WriteAllBytesAsync(files[3], damaged);
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task A_huge_mail_in_place_of_a_record_is_malformed_and_the_record_a_gap()
    {
        var (maildir, files) = await MailboxAsync("huge");
        var message = await MimeMessage.LoadAsync(files[3]);
        var signed = Assert.IsType<MultipartSigned>(message.Body);
        signed.Epilogue = new string('x', 2 * 1024 * 1024);
        await message.WriteToAsync(files[3]);

        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nmalformed: {FileName(3)}: ", output, StringComparison.Ordinal);
        Assert.Contains(" bytes exceed the limit of 1048576 for one message\n", output, StringComparison.Ordinal);
        Assert.Contains("\ngap: seq 3: missing from the mailbox\n", output, StringComparison.Ordinal);
    }
}
