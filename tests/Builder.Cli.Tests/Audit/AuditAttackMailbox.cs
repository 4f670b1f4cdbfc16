using System.Globalization;
using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Cli.Audit;
using Builder.Core.Audit;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Builder.Cli.Tests.Audit;

/// <summary>
/// Mailboxes for the attack tests: records linked here, each mailed as the daemon mails it (its own composer and
/// signer, with the daemon's key or with mallory's), written to a Maildir in delivery order; then the real CLI verifies.
/// </summary>
internal sealed class AuditAttackMailbox : IDisposable
{
    private readonly AuditMessageSigner _signer;
    private readonly AuditMessageSigner _mallory;
    private readonly Microsoft.Extensions.Options.IOptions<AuditOptions> _options;

    private AuditAttackMailbox(string dir, SigningCertificate audit, SigningCertificate mallory)
    {
        Dir = dir;
        CertificateFile = audit.CertificateFile;
        _options = Options(audit);
        _signer = new AuditMessageSigner(_options);
        _mallory = new AuditMessageSigner(Options(mallory));
    }

    public string Dir { get; }

    public string CertificateFile { get; }

    /// <summary>Now, in whole seconds (records carry whole seconds). Each test takes it once, so its texts stay the same.</summary>
    public static DateTimeOffset WholeSecondsNow() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public static async Task<AuditAttackMailbox> CreateAsync(string name)
    {
        var dir = TestEnvironment.NewTempDirectory(name);
        return new AuditAttackMailbox(dir, await SigningCertificate.CreateAsync(dir, "audit"), await SigningCertificate.CreateAsync(dir, "mallory"));
    }

    private static Microsoft.Extensions.Options.IOptions<AuditOptions> Options(SigningCertificate certificate)
    {
        var options = new AuditOptions
        {
            From = "builder@builder.test", SigningCertificateFile = certificate.CertificateFile, SigningKeyFile = certificate.KeyFile,
            HostName = "builder1.test",
        };
        options.To.Add("audit@offsite.test");
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public string NewMaildir(string name)
    {
        var maildir = Path.Combine(Dir, name);
        foreach (var sub in new[] { "new", "cur", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }
        return maildir;
    }

    public static AuditRecord Start(long build, DateTimeOffset time, string package = "hello", string pocket = "dev") => new()
    {
        Seq = 1, Prev = AuditFields.Genesis, Event = AuditEvent.BuildStart, Build = build, Pocket = pocket, Package = package,
        Requester = "alice", Key = "SHA256:" + new string('Q', 43), Acl = "sha256:" + new string('a', 64), Host = "builder1.test", Time = time,
        BuildDeps = [new("gcc", "4:12.2.0-3", AuditDependencyOrigin.Mirror, new string('1', 64))], Request = "builder-request 1\n", Signature = "sig\n",
    };

    public static AuditRecord End(long build, DateTimeOffset time, string package = "hello", string pocket = "dev") =>
        Start(build, time, package, pocket) with { Event = AuditEvent.BuildEnd, Result = AuditResult.Succeeded };

    public static AuditRecord Checkpoint(DateTimeOffset time) => AuditRecord.Checkpoint(1, AuditFields.Genesis, "builder1.test", time);

    /// <summary>The records' canonical texts, numbered from <paramref name="firstSeq"/> and each linked to the one before.</summary>
    public static List<string> Link(IEnumerable<AuditRecord> records, long firstSeq = 1, string? prev = null)
    {
        var texts = new List<string>();
        prev ??= AuditFields.Genesis;
        var seq = firstSeq;
        foreach (var template in records)
        {
            var text = AuditRecordFormat.Serialize(template with { Seq = seq++, Prev = prev });
            prev = AuditRecordFormat.Hash(text);
            texts.Add(text);
        }
        return texts;
    }

    /// <summary>The mail the daemon sends for <paramref name="text"/> (taken verbatim), dated <paramref name="date"/>.</summary>
    public async Task<MimeMessage> ComposeAsync(string text, DateTimeOffset date, bool byMallory = false)
    {
        var record = AuditRecordFormat.Parse(System.Text.Encoding.ASCII.GetBytes(text));
        return await ComposeRawAsync(text, record.Seq, record.Event == AuditEvent.Checkpoint ? null : record.Build, AuditFields.EventName(record.Event), date, byMallory);
    }

    /// <summary>As <see cref="ComposeAsync"/>, for a text that need not parse (what a broken or rooted daemon might sign).</summary>
    public async Task<MimeMessage> ComposeRawAsync(string text, long seq, long? build, string ev, DateTimeOffset date, bool byMallory = false)
    {
        // The Date header is the composer's clock; a clock per mail, as mails may be dated in any order.
        var composer = new AuditMailComposer(_options, byMallory ? _mallory : _signer, new FakeTimeProvider(date));
        return await composer.ComposeAsync(new AuditMailRecord(seq, AuditRecordFormat.Hash(text), text, build, ev), CancellationToken.None);
    }

    /// <summary>A Maildir file name as aiosmtpd writes it, delivered at <paramref name="order"/> (arrival order).</summary>
    public static string FileName(long order) => string.Create(CultureInfo.InvariantCulture, $"{1763830000 + order}.M{order}P1Q1.attack");

    /// <summary>Mails each text in order to new/ (dated by its record's time); returns seq → file.</summary>
    public async Task<Dictionary<long, string>> WriteAsync(string maildir, IEnumerable<string> texts)
    {
        var files = new Dictionary<long, string>();
        foreach (var text in texts)
        {
            var record = AuditRecordFormat.Parse(System.Text.Encoding.ASCII.GetBytes(text));
            var file = Path.Combine(maildir, "new", FileName(record.Seq));
            await (await ComposeAsync(text, record.Time)).WriteToAsync(file);
            files[record.Seq] = file;
        }
        return files;
    }

    /// <summary>Runs <c>builder audit verify MAILDIR --cert CERT EXTRA…</c>; stdout then stderr.</summary>
    public Task<(ExitCode Code, string Output)> VerifyAsync(string maildir, params string[] extra) => RunAsync([maildir, "--cert", CertificateFile, .. extra]);

    /// <summary>Runs <c>builder audit verify ARGS…</c> as given; stdout then stderr.</summary>
    public static async Task<(ExitCode Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await AuditVerifyCommand.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return ((ExitCode)code, output + error.ToString());
    }

    public void Dispose()
    {
        _signer.Dispose();
        _mallory.Dispose();
    }
}
