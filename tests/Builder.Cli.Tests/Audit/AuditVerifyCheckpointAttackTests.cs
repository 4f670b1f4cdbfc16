using Builder.Cli.Audit;
using Builder.Core.Audit;
using MimeKit;
using MimeKit.Cryptography;
using static Builder.Cli.Tests.Audit.AuditAttackMailbox;

namespace Builder.Cli.Tests.Audit;

/// <summary>
/// Attacks on checkpoints, record times, --max-age, --from-seq and open attempts, each over a real signed Maildir
/// checked by the CLI. The base mailbox: seq 1-2 build 1, seq 3 a checkpoint, seq 4-5 build 2, seq 6 a checkpoint
/// half an hour ago: intact and fresh with --max-age 2h.
/// </summary>
public sealed class AuditVerifyCheckpointAttackTests : IAsyncLifetime
{
    /// <summary>When this test runs (xunit makes an instance per test), so ages are measured from it.</summary>
    private DateTimeOffset Now { get; } = WholeSecondsNow();

    private DateTimeOffset T0 => Now.AddHours(-5);

    private AuditAttackMailbox? _box;

    private AuditAttackMailbox Box => _box!;

    public async Task InitializeAsync() => _box = await CreateAsync("audit-attack-checkpoints");

    public Task DisposeAsync()
    {
        _box?.Dispose();
        return Task.CompletedTask;
    }

    private List<AuditRecord> Base() =>
    [
        Start(1, T0), End(1, T0.AddMinutes(10)), Checkpoint(T0.AddHours(1)),
        Start(2, T0.AddHours(2)), End(2, T0.AddHours(2).AddMinutes(10)), Checkpoint(Now.AddMinutes(-30)),
    ];

    private async Task<(string Maildir, Dictionary<long, string> Files)> MailboxAsync(string name, IEnumerable<string> texts)
    {
        var maildir = Box.NewMaildir(name);
        return (maildir, await Box.WriteAsync(maildir, texts));
    }

    [Fact]
    public async Task The_untouched_base_mailbox_is_intact_and_fresh()
    {
        var (maildir, _) = await MailboxAsync("base", Link(Base()));
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.Ok == code, output);
        Assert.StartsWith("6 audit mails of 6 (seq 1-6); ", output, StringComparison.Ordinal);
        Assert.EndsWith("\nintact\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_with_the_right_head_hash_but_a_seq_off_by_one_is_tampered()
    {
        // Seq 7 certifying seq 5's hash: the seq it skips is a gap.
        var texts = Link(Base()[..5]);
        var skipping = AuditRecordFormat.Serialize(AuditRecord.Checkpoint(7, AuditRecordFormat.Hash(texts[4]), "builder1.test", Now.AddMinutes(-30)));
        var (maildir, _) = await MailboxAsync("skips-one", [.. texts, skipping]);
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith("\ngap: seq 6: missing from the mailbox\nTAMPERED: 1 problem(s); first bad seq 6\n", output, StringComparison.Ordinal);

        // Seq 6 certifying seq 4's hash, as if seq 4 were the head: the link and the certified head are both wrong.
        var lagging = AuditRecordFormat.Serialize(AuditRecord.Checkpoint(6, AuditRecordFormat.Hash(texts[3]), "builder1.test", Now.AddMinutes(-30)));
        (maildir, _) = await MailboxAsync("lags-one", [.. texts, lagging]);
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nbroken-link: seq 6: prev is {AuditRecordFormat.Hash(texts[3])} but seq 5 hashes to {AuditRecordFormat.Hash(texts[4])}\n", output, StringComparison.Ordinal);
        Assert.Contains($"\ncheckpoint-head: seq 6: checkpoint certifies head seq 5 {AuditRecordFormat.Hash(texts[3])}, but the mailbox's seq 5 hashes to {AuditRecordFormat.Hash(texts[4])}\n",
            output, StringComparison.Ordinal);
        Assert.EndsWith("TAMPERED: 2 problem(s); first bad seq 6\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_old_checkpoint_replayed_later_with_another_Message_ID_is_a_duplicate()
    {
        var (maildir, files) = await MailboxAsync("replayed", Link(Base()));
        var replay = await MimeMessage.LoadAsync(files[3]);
        replay.MessageId = "replayed.3@mallory.test";
        replay.Date = Now;
        await replay.WriteToAsync(Path.Combine(maildir, "new", FileName(7)));

        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith($"\nduplicate: seq 3: the same record appears 2 times ({FileName(3)}, {FileName(7)})\nTAMPERED: 1 problem(s); first bad seq 3\n",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_records_between_two_checkpoints_are_a_gap_although_the_newest_is_fresh()
    {
        var (maildir, files) = await MailboxAsync("deleted-between", Link(Base()));
        File.Delete(files[4]);
        File.Delete(files[5]);
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith("\ngap: seq 4: seqs 4-5 are missing from the mailbox\nTAMPERED: 1 problem(s); first bad seq 4\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_substituted_behind_a_checkpoint_or_beside_the_certified_one_is_reported_at_the_checkpoint()
    {
        // The chain the checkpoint certifies ends build 2 as succeeded; a second seq 5 (signed by the same key, e.g. by
        // a rooted host) says it failed.
        var certified = Link(Base());
        var substitute = AuditRecordFormat.Serialize(End(2, T0.AddHours(2).AddMinutes(10)) with { Seq = 5, Prev = AuditRecordFormat.Hash(certified[3]), Result = AuditResult.Failed, FailedStage = "building" });
        Assert.NotEqual(certified[4], substitute);

        // Only the substitute in the mailbox: the checkpoint does not certify it.
        var (maildir, _) = await MailboxAsync("substituted", [.. certified[..4], substitute, certified[5]]);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\ncheckpoint-head: seq 6: checkpoint certifies head seq 5 {AuditRecordFormat.Hash(certified[4])}, but the mailbox's seq 5 hashes to {AuditRecordFormat.Hash(substitute)}\n",
            output, StringComparison.Ordinal);
        Assert.Contains("\nbroken-link: seq 6: ", output, StringComparison.Ordinal);

        // Both: a fork, and the checkpoint names the one it certifies.
        (maildir, var files) = await MailboxAsync("forked", certified);
        await (await Box.ComposeAsync(substitute, T0.AddHours(2).AddMinutes(11))).WriteToAsync(Path.Combine(maildir, "new", FileName(5) + "b"));
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nfork: seq 5: 2 different records carry this seq ({FileName(5)}, {FileName(5)}b)\n", output, StringComparison.Ordinal);
        Assert.Contains($"\ncheckpoint-head: seq 6: checkpoint certifies head seq 5 {AuditRecordFormat.Hash(certified[4])} ({Path.GetFileName(files[5])}); the other seq 5 is not in the certified chain\n",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_certificate_is_a_bad_signature_and_leaves_the_mailbox_stale()
    {
        var texts = Link(Base());
        var (maildir, files) = await MailboxAsync("mallory-checkpoint", texts);
        await (await Box.ComposeAsync(texts[5], Now.AddMinutes(-30), byMallory: true)).WriteToAsync(files[6]);

        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nbad-signature: seq 6: {FileName(6)}: signature does not verify: signed by 'CN=builder mallory', not by the expected certificate\n",
            output, StringComparison.Ordinal);
        // The forged checkpoint does not count as fresh: the newest verified record is seq 5, 2 h 50 min ago.
        Assert.Contains("\nstale: newest record seq 5 is 2 h ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_checkpoint_carrying_build_fields_or_the_wrong_version_is_malformed()
    {
        var texts = Link(Base());
        var withBuild = texts[5].Replace("event checkpoint\n", "event checkpoint\nbuild 2\n", StringComparison.Ordinal);
        var (maildir, files) = await MailboxAsync("checkpoint-with-build", texts);
        await (await Box.ComposeRawAsync(withBuild, 6, null, "checkpoint", Now.AddMinutes(-30))).WriteToAsync(files[6]);
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nmalformed: seq 6: {FileName(6)}: audit record line 5 (build): is not a field of checkpoint records\n", output, StringComparison.Ordinal);

        var asVersion2 = texts[5].Replace("builder-audit 3\n", "builder-audit 2\n", StringComparison.Ordinal);
        await (await Box.ComposeRawAsync(asVersion2, 6, null, "checkpoint", Now.AddMinutes(-30))).WriteToAsync(files[6]);
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains($"\nmalformed: seq 6: {FileName(6)}: audit record line 4 (event): checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4\n",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_max_age_the_newest_record_by_seq_counts_even_when_an_earlier_one_is_dated_later()
    {
        // Times go backwards: seq 5 was written ten minutes ago, the final checkpoint (seq 6) says five hours ago.
        var records = Base();
        records[4] = records[4] with { Time = Now.AddMinutes(-10) };
        records[5] = records[5] with { Time = T0 };
        var (maildir, _) = await MailboxAsync("backwards", Link(records));

        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\nstale: newest record seq 6 is 5 h ", output, StringComparison.Ordinal);

        // Without --max-age, times are not judged: a host's clock may be stepped back (documented: the record's time
        // is the host's clock).
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task The_record_time_counts_for_max_age_never_the_mails_Date_header()
    {
        var texts = Link(Base());
        var old = Link([.. Base()[..5], Checkpoint(T0)]);
        var (maildir, files) = await MailboxAsync("fresh-date-old-record", old);
        // The mail says it was sent just now; the signed record says five hours ago.
        var message = await MimeMessage.LoadAsync(files[6]);
        message.Date = Now;
        await message.WriteToAsync(files[6]);
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\nstale: newest record seq 6 is 5 h ", output, StringComparison.Ordinal);

        // The other way round: an old Date header on a fresh record changes nothing.
        (maildir, files) = await MailboxAsync("old-date-fresh-record", texts);
        message = await MimeMessage.LoadAsync(files[6]);
        message.Date = Now.AddDays(-3);
        await message.WriteToAsync(files[6]);
        (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task A_newest_record_dated_further_ahead_than_max_age_is_stale_tampering()
    {
        // One checkpoint signed with a date a month ahead would keep the mailbox "fresh" through a month of silence.
        var (maildir, _) = await MailboxAsync("future", Link([.. Base()[..5], Checkpoint(Now.AddDays(30))]));
        var (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\nstale: newest record seq 6 is dated 29 d 23 h ", output, StringComparison.Ordinal);
        Assert.Contains(" ahead of this clock, more than --max-age allows\n", output, StringComparison.Ordinal);

        // A host clock a little ahead (within --max-age) is no finding.
        (maildir, _) = await MailboxAsync("slightly-ahead", Link([.. Base()[..5], Checkpoint(Now.AddMinutes(30))]));
        (code, output) = await Box.VerifyAsync(maildir, "--max-age", "2h");
        Assert.True(ExitCode.Ok == code, output);
    }

    [Fact]
    public async Task A_mailbox_that_starts_with_a_checkpoint_at_from_seq_is_intact_and_a_gap_without_it()
    {
        var (maildir, files) = await MailboxAsync("starts-with-checkpoint", Link(Base()));
        File.Delete(files[1]);
        File.Delete(files[2]);
        var (code, output) = await Box.VerifyAsync(maildir, "--from-seq", "3", "--max-age", "2h");
        Assert.True(ExitCode.Ok == code, output);
        Assert.StartsWith("4 audit mails of 4 (seq 3-6); ", output, StringComparison.Ordinal);

        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\ngap: seq 1: seqs 1-2 are missing from the mailbox\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("9223372036854775807")]
    public async Task From_seq_beyond_the_newest_record_is_empty_not_intact(string fromSeq)
    {
        var (maildir, _) = await MailboxAsync("beyond-" + fromSeq, Link(Base()));
        var (code, output) = await Box.VerifyAsync(maildir, "--from-seq", fromSeq, "--max-age", "2h");
        Assert.True(ExitCode.AuditEmpty == code, output);
        Assert.EndsWith($"\nempty: the mailbox holds no audit record from seq {fromSeq} on\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempts_build_end_written_only_after_the_next_attempts_start_leaves_the_first_attempt_open()
    {
        // The daemon ends an attempt (recovery writes "failed interrupted") before it requeues the build.
        var (maildir, _) = await MailboxAsync("late-end", Link([Start(7, T0), Start(7, T0.AddMinutes(5)), End(7, T0.AddMinutes(9)), End(7, T0.AddMinutes(10))]));
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.EndsWith("\nopen: seq 1: build 7 attempt 1: build-start seq 1 has no build-end\nTAMPERED: 1 problem(s); first bad seq 1\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_end_naming_another_package_closes_its_build_by_id_alone()
    {
        // Build 42 starts as dev/hello; the build-end of build 42 says dev/other. Pairing is by build id, so the attempt
        // counts as closed (reported to the integrator as debatable: the daemon never writes such a pair).
        var (maildir, _) = await MailboxAsync("other-package-end",
            Link([Start(42, T0), End(42, T0.AddMinutes(5), package: "other"), Start(43, T0.AddMinutes(6)), End(43, T0.AddMinutes(9))]));
        var (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.Ok == code, output);

        // A build-end of another build id does not close it: build 43 of the same package shows build 42 over.
        (maildir, _) = await MailboxAsync("other-build-end",
            Link([Start(42, T0), End(41, T0.AddMinutes(5)), Start(43, T0.AddMinutes(6)), End(43, T0.AddMinutes(9))]));
        (code, output) = await Box.VerifyAsync(maildir);
        Assert.True(ExitCode.AuditTampered == code, output);
        Assert.Contains("\nopen: seq 1: build 42 attempt 1: build-start seq 1 has no build-end\n", output, StringComparison.Ordinal);
    }
}
