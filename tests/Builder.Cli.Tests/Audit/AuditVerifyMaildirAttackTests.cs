using Builder.Cli.Audit;
using MimeKit;
using MimeKit.Cryptography;
using static Builder.Cli.Tests.Audit.AuditAttackMailbox;

namespace Builder.Cli.Tests.Audit;

/// <summary>
/// Attacks on the Maildir around the mails (where files lie, links, odd entries, lying seq headers), each over a real
/// signed Maildir checked by the CLI. The base mailbox: seq 1-2 build 1, seq 3-4 build 2, seq 5 a checkpoint.
/// </summary>
public sealed class AuditVerifyMaildirAttackTests : IAsyncLifetime
{
    private AuditAttackMailbox? _box;

    /// <summary>When this test runs (xunit makes an instance per test), so ages are measured from it.</summary>
    private DateTimeOffset Now { get; } = WholeSecondsNow();

    private AuditAttackMailbox Box => _box!;

    public async Task InitializeAsync() => _box = await CreateAsync("audit-attack-maildir");

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

    /// <summary>A mail that claims to be audit record <paramref name="seqHeader"/> but carries no signed record.</summary>
    private static async Task WriteJunkAsync(string file, string seqHeader)
    {
        var message = new MimeMessage { Subject = $"[builder audit] seq {seqHeader} checkpoint" };
        message.From.Add(MailboxAddress.Parse("builder@builder.test"));
        message.To.Add(MailboxAddress.Parse("audit@offsite.test"));
        message.Headers.Add("X-Builder-Audit", "1");
        message.Headers.Add("X-Builder-Audit-Seq", seqHeader);
        message.Body = new TextPart("plain") { Text = "nothing signed here\n" };
        await message.WriteToAsync(file);
    }

    [Fact]
    public async Task Mails_a_client_moved_to_cur_with_flags_are_still_intact()
    {
        var (maildir, files) = await MailboxAsync("cur");
        foreach (var seq in new long[] { 2, 4, 5 })
        {
            File.Move(files[seq], Path.Combine(maildir, "cur", Path.GetFileName(files[seq]) + ":2,S"));
        }
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "1h");
        Assert.True(ExitCode.Ok == code, output);
        Assert.StartsWith("5 audit mails of 5 (seq 1-5); ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_moved_to_tmp_is_not_read_a_gap_in_the_middle_and_stale_at_the_end()
    {
        var (maildir, files) = await MailboxAsync("tmp");
        File.Move(files[3], Path.Combine(maildir, "tmp", Path.GetFileName(files[3])));
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith("\ngap: seq 3: missing from the mailbox\nTAMPERED: 1 problem(s); first bad seq 3\n", output, StringComparison.Ordinal);

        File.Move(Path.Combine(maildir, "tmp", Path.GetFileName(files[3])), files[3]);
        File.Move(files[5], Path.Combine(maildir, "tmp", Path.GetFileName(files[5])));
        (code, output) = await Box.VerifyAsync(maildir, "--max-age", "1h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\nstale: newest record seq 4 is 1 h ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_to_another_record_or_a_hidden_copy_is_a_duplicate()
    {
        var (maildir, files) = await MailboxAsync("symlink-duplicate");
        File.CreateSymbolicLink(Path.Combine(maildir, "new", FileName(9)), files[2]);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith($"\nduplicate: seq 2: the same record appears 2 times ({FileName(2)}, {FileName(9)})\nTAMPERED: 1 problem(s); first bad seq 2\n",
            output, StringComparison.Ordinal);

        File.Delete(Path.Combine(maildir, "new", FileName(9)));
        File.Copy(files[4], Path.Combine(maildir, "cur", "." + FileName(4)));
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\nduplicate: seq 4: the same record appears 2 times ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_to_an_identical_copy_outside_the_Maildir_is_read_like_the_file()
    {
        // The bytes are the signed record's: what the link points at is what is judged (reported as debatable).
        var (maildir, files) = await MailboxAsync("symlink-outside");
        var outside = Path.Combine(Box.Dir, "elsewhere.eml");
        File.Move(files[3], outside);
        File.CreateSymbolicLink(files[3], outside);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task A_directory_named_like_the_mail_in_its_place_is_a_gap()
    {
        var (maildir, files) = await MailboxAsync("directory");
        File.Delete(files[3]);
        Directory.CreateDirectory(files[3]);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith("\ngap: seq 3: missing from the mailbox\nTAMPERED: 1 problem(s); first bad seq 3\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_in_new_is_malformed()
    {
        var (maildir, _) = await MailboxAsync("empty-file");
        await File.WriteAllBytesAsync(Path.Combine(maildir, "new", FileName(9)), []);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith($"\nmalformed: {FileName(9)}: 0 bytes: an empty file, a pipe or a device is not a mail message\nTAMPERED: 1 problem(s)\n",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_that_is_no_Maildir_is_unreadable_never_empty_or_intact()
    {
        var dir = Box.NewMaildir("not-maildirs");
        var dangling = Path.Combine(dir, "dangling");
        File.CreateSymbolicLink(dangling, Path.Combine(dir, "gone"));
        var (code, output) = await Box.VerifyAsync(dangling);
        Assert.True(ExitCode.AuditUnreadable == code, output);
        Assert.StartsWith($"audit verify: unreadable: {dangling}: ", output, StringComparison.Ordinal);

        // new/ a file and no cur/: not a Maildir.
        var fake = Path.Combine(dir, "fake");
        Directory.CreateDirectory(fake);
        await File.WriteAllTextAsync(Path.Combine(fake, "new"), "");
        (code, output) = await Box.VerifyAsync(fake);
        Assert.True(ExitCode.AuditUnreadable == code, output);
        Assert.EndsWith($"audit verify: unreadable: {fake}: a directory without new/ or cur/ is not a Maildir\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_junk_mail_claiming_a_huge_seq_is_malformed_and_the_verdict_still_comes()
    {
        // The seq header is unsigned: it may claim any seq up to the largest number. Before the fix the gap check
        // walked every seq up to it (and, at long.MaxValue, overflowed and reported no gap at all).
        var (maildir, files) = await MailboxAsync("huge-seq");
        File.Delete(files[3]);
        await WriteJunkAsync(Path.Combine(maildir, "new", FileName(9)), "9223372036854775807");
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\ngap: seq 3: missing from the mailbox\n", output, StringComparison.Ordinal);
        Assert.Contains("\ngap: seq 6: seqs 6-9223372036854775806 are missing from the mailbox\n", output, StringComparison.Ordinal);
        Assert.Contains($"\nmalformed: seq 9223372036854775807: {FileName(9)}: not an S/MIME multipart/signed mail with the record as its first part\n",
            output, StringComparison.Ordinal);

        File.Delete(Path.Combine(maildir, "new", FileName(9)));
        await WriteJunkAsync(Path.Combine(maildir, "new", FileName(9)), "1000000000000000");
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\ngap: seq 6: seqs 6-999999999999999 are missing from the mailbox\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_junk_mail_claiming_seq_0_is_malformed_not_ignored()
    {
        // No record has seq 0: the header cannot put a mail before --from-seq 1, as one without a seq header would not be.
        var (maildir, _) = await MailboxAsync("seq-zero");
        await WriteJunkAsync(Path.Combine(maildir, "new", FileName(9)), "0");
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith($"\nmalformed: {FileName(9)}: not an S/MIME multipart/signed mail with the record as its first part\nTAMPERED: 1 problem(s)\n",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_to_a_huge_mail_is_held_to_the_size_limit_of_the_file_it_points_at()
    {
        // The link itself is a few bytes; the mail it points at (a valid signed record with a 2 MiB epilogue) is not.
        var (maildir, files) = await MailboxAsync("symlink-huge");
        var message = await MimeMessage.LoadAsync(files[3]);
        Assert.IsType<MultipartSigned>(message.Body).Epilogue = new string('x', 2 * 1024 * 1024);
        var outside = Path.Combine(Box.Dir, "huge.eml");
        await message.WriteToAsync(outside);
        File.Delete(files[3]);
        File.CreateSymbolicLink(files[3], outside);

        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nmalformed: {FileName(3)}: {new FileInfo(outside).Length} bytes exceed the limit of 1048576 for one message\n", output, StringComparison.Ordinal);
        Assert.Contains("\ngap: seq 3: missing from the mailbox\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifo_in_new_is_malformed_and_does_not_block_the_verifier()
    {
        var (maildir, _) = await MailboxAsync("fifo");
        var fifo = Path.Combine(maildir, "new", FileName(9));
        await Builder.Tests.Common.TestProcess.CheckAsync("mkfifo", [fifo]);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nmalformed: {FileName(9)}: 0 bytes: an empty file, a pipe or a device is not a mail message\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_to_an_endless_device_is_malformed_and_never_read()
    {
        var (maildir, _) = await MailboxAsync("dev-zero");
        File.CreateSymbolicLink(Path.Combine(maildir, "new", FileName(9)), "/dev/zero");
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nmalformed: {FileName(9)}: 0 bytes: an empty file, a pipe or a device is not a mail message\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifo_or_an_empty_file_as_the_mbox_is_empty_and_does_not_block_the_verifier()
    {
        var dir = Box.NewMaildir("mbox-fifo");
        var fifo = Path.Combine(dir, "audit.mbox");
        await Builder.Tests.Common.TestProcess.CheckAsync("mkfifo", [fifo]);
        var (code, output) = await Box.VerifyAsync(fifo);
        Assert.True(ExitCode.AuditEmpty == code, output);
        Assert.EndsWith("\nempty: the mailbox holds no audit record\n", output, StringComparison.Ordinal);

        var empty = Path.Combine(dir, "empty.mbox");
        await File.WriteAllBytesAsync(empty, []);
        (code, output) = await Box.VerifyAsync(empty);
        Assert.True(ExitCode.AuditEmpty == code, output);
    }

    [Fact]
    public async Task Without_cert_a_mailbox_signed_throughout_by_another_key_is_intact_and_only_its_fingerprint_tells()
    {
        // Documented: without --cert every record must carry the same signer, any one. Mallory re-signed every mail;
        // the verdict is intact and the printed fingerprint is the only difference (reported as debatable).
        var maildir = Box.NewMaildir("all-mallory");
        foreach (var text in Texts())
        {
            var record = Builder.Core.Audit.AuditRecordFormat.Parse(System.Text.Encoding.ASCII.GetBytes(text));
            await (await Box.ComposeAsync(text, record.Time, byMallory: true)).WriteToAsync(Path.Combine(maildir, "new", FileName(record.Seq)));
        }
        var (code, output) = await RunAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);
        var (withCert, _) = await Box.VerifyAsync(maildir);
        Assert.Equal(ExitCode.AuditTampered, withCert);
        var (genuine, genuineOutput) = await RunAsync((await MailboxAsync("genuine")).Maildir);
        Assert.Equal(ExitCode.Ok, genuine);
        Assert.NotEqual(output.Split(" fingerprint ")[1].Split('\n')[0], genuineOutput.Split(" fingerprint ")[1].Split('\n')[0]);
    }
}
