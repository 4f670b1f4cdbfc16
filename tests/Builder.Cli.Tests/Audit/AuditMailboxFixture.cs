using Builder.Audit;
using Builder.Daemon.Audit;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Builder.Cli.Tests.Audit;

/// <summary>
/// A real audit mailbox: the daemon's service wiring delivers six records (three builds, start and end) to an
/// aiosmtpd of this fixture's own, then a seventh record is written but never delivered. Tests copy the Maildir
/// and tamper with their copy.
/// </summary>
public sealed class AuditMailboxFixture : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private AiosmtpdProcess? _smtp;
    private IHost? _host;

    public string Dir { get; } = TestEnvironment.NewTempDirectory("audit-verify");

    public string Maildir => Path.Combine(Dir, "Maildir");

    public string CertificateFile => Path.Combine(Dir, "audit.pem");

    public string OtherCertificateFile => Path.Combine(Dir, "mallory.pem");

    public string OtherKeyFile => Path.Combine(Dir, "mallory.key");

    public AuditRepository Records => _host!.Services.GetRequiredService<AuditRepository>();

    /// <summary>seq → Maildir file name of the delivered mails.</summary>
    public Dictionary<long, string> Files { get; } = [];

    public long UndeliveredSeq { get; private set; }

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var certificate = await SigningCertificate.CreateAsync(Dir, "audit");
        await SigningCertificate.CreateAsync(Dir, "mallory");
        _smtp = await AiosmtpdProcess.StartAsync(Maildir);

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(AuditConfiguration.Loopback(_smtp.Port, certificate));
        builder.Configuration.AddInMemoryCollection([new("Database:ConnectionString", _db.ConnectionString)]);
        builder.Services.AddBuilderStore();
        builder.Services.AddBuilderAuditDelivery();
        _host = builder.Build();
        await _host.StartAsync();
        var trail = _host.Services.GetRequiredService<AuditTrail>();
        var builds = _host.Services.GetRequiredService<BuildRepository>();

        for (var i = 0; i < 3; i++)
        {
            var build = await AuditingBuilds.SubmitAsync(builds, $"verify{i}");
            var start = await trail.EnsureAuditedAsync(build, new AuditFacts(null, []), CancellationToken.None);
            Assert.True(start.Accepted, start.LastError);
            Assert.True(await builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
            Assert.True(await builds.TransitionAsync(build.Id, BuildState.Building, BuildState.Publishing, null, null, null, CancellationToken.None));
            var end = await trail.RecordBuildEndAsync(build, new AuditFacts(null, []),
                new BuildEndFacts(AuditResult.Succeeded, null, [new($"verify{i}_1.0-1.dsc", new string('d', 64))], new AuditCompileJobs(i, "sha256:" + new string('e', 64))),
                CancellationToken.None);
            Assert.True(end.Accepted, end.LastError);
        }
        foreach (var file in Directory.GetFiles(Path.Combine(Maildir, "new")))
        {
            var seq = File.ReadLines(file).First(l => l.StartsWith("X-Builder-Audit-Seq: ", StringComparison.Ordinal))["X-Builder-Audit-Seq: ".Length..];
            Files.Add(long.Parse(seq, System.Globalization.CultureInfo.InvariantCulture), Path.GetFileName(file));
        }
        Assert.Equal([1, 2, 3, 4, 5, 6], Files.Keys.Order());

        // A seventh record the server wrote but no SMTP server ever accepted (its Message-ID was never stored).
        var late = await AuditingBuilds.SubmitAsync(builds, "verify-late");
        var record = await Records.AppendAsync(late.Id, AuditEvent.BuildStart, late.Attempts, (seq, prev) => new AuditRecord
        {
            Seq = seq, Prev = prev, Event = AuditEvent.BuildStart, Build = late.Id, Pocket = "dev", Package = late.Package, Requester = "alice",
            Key = late.KeyFingerprint, Acl = late.AclHash, Host = "builder1.test", Time = DateTimeOffset.UnixEpoch, Request = late.Request, Signature = late.Signature,
        }, CancellationToken.None);
        UndeliveredSeq = record.Seq;
    }

    /// <summary>A copy of the Maildir for one test to tamper with.</summary>
    public string CopyMaildir()
    {
        var copy = Path.Combine(TestEnvironment.NewTempDirectory("audit-maildir"), "Maildir");
        foreach (var sub in new[] { "new", "cur", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(copy, sub));
        }
        foreach (var file in Directory.GetFiles(Path.Combine(Maildir, "new")))
        {
            File.Copy(file, Path.Combine(copy, "new", Path.GetFileName(file)));
        }
        return copy;
    }

    public string FileOf(string maildir, long seq) => Path.Combine(maildir, "new", Files[seq]);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
        await _db.DisposeAsync();
    }
}
