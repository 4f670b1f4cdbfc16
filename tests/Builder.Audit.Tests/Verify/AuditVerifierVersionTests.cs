using System.Text;
using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Audit.Verify;
using Builder.Core.Audit;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace Builder.Audit.Tests.Verify;

/// <summary>
/// A mailbox that spans the upgrade to format version 2, signed by the daemon's own composer and signer and checked by
/// the real verifier: version 1 mails, then version 2 mails (one of them a cross-pocket copy), in one chain.
/// </summary>
public sealed class AuditVerifierVersionTests : IAsyncLifetime
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-versions-verify");
    private SigningCertificate? _certificate;

    public async Task InitializeAsync() => _certificate = await SigningCertificate.CreateAsync(_dir);

    public Task DisposeAsync() => Task.CompletedTask;

    private static AuditRecord Record(int formatVersion, long seq, AuditEvent ev, long build) => new()
    {
        FormatVersion = formatVersion, Seq = seq, Prev = "", Event = ev, Build = build, Pocket = formatVersion == 1 ? "dev" : "prod",
        Package = "hello", Commit = new string('c', 40), Version = "1.0-1", Requester = "alice", Key = "SHA256:" + new string('Q', 43),
        Acl = "sha256:" + new string('a', 64), Image = "sha256:" + new string('b', 64), Host = "b1", Time = DateTimeOffset.UnixEpoch,
        BuildDeps = formatVersion == 1
            ? [new("debhelper-compat", "13"), new("gcc", "4:12.2.0-3")]
            : [new("debhelper-compat", "13", AuditDependencyOrigin.Mirror, new string('1', 64)), new("gcc", "4:12.2.0-3", AuditDependencyOrigin.Pocket("dev"), new string('2', 64))],
        Request = "builder-request 1\n", Signature = "sig\n",
        Result = ev == AuditEvent.BuildEnd ? AuditResult.Succeeded : null,
    };

    /// <summary>Seq 1-2: build 1 in v1; seq 3-4: build 3 in v2, a copy of build 1 (whose build-end is seq 2).</summary>
    private static List<AuditRecord> UpgradeChain(AuditCopySource? copyOf = null) =>
    [
        Record(1, 1, AuditEvent.BuildStart, 1),
        Record(1, 2, AuditEvent.BuildEnd, 1),
        Record(2, 3, AuditEvent.BuildStart, 3) with { CopyOf = copyOf ?? new AuditCopySource(1, 2) },
        Record(2, 4, AuditEvent.BuildEnd, 3) with { CopyOf = copyOf ?? new AuditCopySource(1, 2) },
    ];

    /// <summary>Links the records, signs one mail each and puts them in a Maildir in seq order; returns seq → mail file.</summary>
    private async Task<(string Maildir, Dictionary<long, string> Files)> MailboxAsync(IEnumerable<AuditRecord> records, string name)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AuditOptions
        {
            From = "builder@builder.test", SigningCertificateFile = _certificate!.CertificateFile, SigningKeyFile = _certificate.KeyFile, HostName = "b1",
        });
        options.Value.To.Add("audit@offsite.test");
        using var signer = new AuditMessageSigner(options);
        var composer = new AuditMailComposer(options, signer, new FakeTimeProvider());
        var maildir = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        var files = new Dictionary<long, string>();
        var prev = AuditFields.Genesis;
        foreach (var template in records)
        {
            var text = AuditRecordFormat.Serialize(template with { Prev = prev });
            var hash = AuditRecordFormat.Hash(text);
            var stored = new AuditMailRecord(template.Seq, hash, text, template.Build, AuditFields.EventName(template.Event));
            var file = Path.Combine(maildir, "new", $"{1763830000 + template.Seq}.M{template.Seq}P1Q1.versions");
            await (await composer.ComposeAsync(stored, CancellationToken.None)).WriteToAsync(file);
            files[template.Seq] = file;
            prev = hash;
        }
        return (maildir, files);
    }

    private async Task<AuditVerification> VerifyAsync(string maildir) =>
        await new AuditVerifier().VerifyAsync(maildir, new AuditVerifyOptions(_certificate!.CertificateFile), CancellationToken.None);

    [Fact]
    public async Task A_mailbox_of_v1_then_v2_mails_verifies_intact()
    {
        var (maildir, files) = await MailboxAsync(UpgradeChain(), "intact");

        var result = await VerifyAsync(maildir);

        Assert.True(result.Report.Intact, string.Join("; ", result.Report.Findings));
        Assert.Equal((4, 1L, 4L), (result.AuditMails, result.Report.FirstSeq!.Value, result.Report.LastSeq!.Value));
        Assert.StartsWith("builder-audit 1\n", await RecordTextAsync(files[2]), StringComparison.Ordinal);
        Assert.StartsWith("builder-audit 2\n", await RecordTextAsync(files[3]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_a_build_dep_hash_inside_a_v2_mail_is_reported_at_its_seq()
    {
        var (maildir, files) = await MailboxAsync(UpgradeChain(), "tampered");
        var message = await MimeMessage.LoadAsync(files[3]);
        var signed = Assert.IsType<MultipartSigned>(message.Body);
        var text = await RecordTextAsync(files[3]);
        var tampered = text.Replace($"pocket:dev {new string('2', 64)}", $"pocket:dev {new string('3', 64)}", StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);
        ((TextPart)signed[0]).Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(tampered)));
        await message.WriteToAsync(files[3]);

        var result = await VerifyAsync(maildir);

        var finding = Assert.Single(result.Report.Findings);
        Assert.Equal((3L, AuditFindingKind.BadSignature), (finding.Seq!.Value, finding.Kind));
        Assert.Equal(3, result.Report.FirstBadSeq);
    }

    [Fact]
    public async Task A_v2_copy_naming_a_v1_build_start_is_reported_at_the_copys_seq()
    {
        var (maildir, _) = await MailboxAsync(UpgradeChain(new AuditCopySource(1, 1)), "bad-copy");

        var findings = (await VerifyAsync(maildir)).Report.Findings;

        Assert.Equal(
            [
                "seq 3: copy-of names build 1's succeeded build-end at seq 1, but seq 1 is build 1's build-start record",
                "seq 4: copy-of names build 1's succeeded build-end at seq 1, but seq 1 is build 1's build-start record",
            ],
            findings.Select(f => f.ToString()));
    }

    [Fact]
    public async Task A_signed_mail_carrying_a_record_of_the_maximum_size_is_read_and_verified()
    {
        // Enough build-deps to come within a few hundred bytes of the record limit.
        var record = Record(2, 1, AuditEvent.BuildStart, 1) with { Prev = AuditFields.Genesis };
        var baseLength = AuditRecordFormat.Serialize(record).Length;
        var entry = $"libpackage00000-dev=1:1.2.13.dfsg-1 {AuditDependencyOrigin.Mirror} {new string('f', 64)} ".Length;
        var count = (AuditRecordFormat.MaxRecordBytes - baseLength - 400) / entry;
        var big = record with
        {
            BuildDeps = [.. Enumerable.Range(10000, count).Select(i => new AuditBuildDependency($"libpackage{i}-dev", "1:1.2.13.dfsg-1", AuditDependencyOrigin.Mirror, new string('f', 64)))],
        };
        var (maildir, files) = await MailboxAsync([big], "big");
        Assert.InRange(AuditRecordFormat.Serialize(big).Length, AuditRecordFormat.MaxRecordBytes - 1024, AuditRecordFormat.MaxRecordBytes);

        var result = await VerifyAsync(maildir);

        Assert.True(result.Report.Intact, string.Join("; ", result.Report.Findings));
        Assert.InRange(new FileInfo(files[1]).Length, AuditRecordFormat.MaxRecordBytes * 4L / 3, MailboxReader.MaxMessageBytes);
    }

    private static async Task<string> RecordTextAsync(string file)
    {
        var message = await MimeMessage.LoadAsync(file);
        using var content = new MemoryStream();
        var signed = Assert.IsType<MultipartSigned>(message.Body);
        await Assert.IsType<TextPart>(signed[0]).Content!.DecodeToAsync(content);
        return Encoding.ASCII.GetString(content.ToArray());
    }
}
