using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Builder.Daemon.Tests.Audit.Support;

/// <summary>An AuditTrail wired to a test database, a real signing certificate and one SMTP endpoint.</summary>
internal sealed class AuditTestKit
{
    public AuditTestKit(NpgsqlDataSource dataSource, SigningCertificate certificate, string host, int port, SmtpTlsMode tls = SmtpTlsMode.None,
        TimeProvider? time = null, TimeSpan? timeout = null)
    {
        DataSource = dataSource;
        Options = new AuditOptions
        {
            Smtp = new AuditSmtpOptions { Host = host, Port = port, Tls = tls, Timeout = timeout ?? TimeSpan.FromSeconds(20) },
            From = "builder@builder.test",
            SigningCertificateFile = certificate.CertificateFile,
            SigningKeyFile = certificate.KeyFile,
            HostName = "builder1.test",
            RetryBase = TimeSpan.FromSeconds(30),
            RetryCap = TimeSpan.FromMinutes(8),
            RetryJitter = TimeSpan.FromSeconds(10),
        };
        Options.To.Add("audit-a@offsite.test");
        Options.To.Add("audit-b@offsite.test");
        Options.AlertTo.Add("admin@builder.test");
        if (tls != SmtpTlsMode.None)
        {
            Options.Smtp.TrustedCaFile = TestEnvironment.Require(SmtpEndpoint.Ca);
        }
        Time = time ?? TimeProvider.System;
        Builds = new BuildRepository(dataSource);
        Records = new AuditRepository(dataSource);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Signer = new AuditMessageSigner(options);
        var composer = new AuditMailComposer(options, Signer, Time);
        Transport = new SmtpMailTransport(options);
        // Jitter fixed at half its range, so the back-off in the notes is predictable.
        Trail = new AuditTrail(Records, Builds, composer, Transport, new AuditRetryPolicy(options, () => 0.5), options, Time,
            NullLogger<AuditTrail>.Instance);
    }

    public NpgsqlDataSource DataSource { get; }

    public AuditOptions Options { get; }

    public TimeProvider Time { get; }

    public BuildRepository Builds { get; }

    public AuditRepository Records { get; }

    public AuditMessageSigner Signer { get; }

    public SmtpMailTransport Transport { get; }

    public AuditTrail Trail { get; }

    /// <summary>A fake clock at the current second (PostgreSQL keeps microseconds, so whole seconds compare exactly).</summary>
    public static FakeTimeProvider FakeNow()
    {
        var now = DateTimeOffset.UtcNow;
        return new FakeTimeProvider(new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
    }

    /// <summary>Submits a build and walks it queued → preparing → auditing, as the pipeline does.</summary>
    public Task<BuildRecord> AuditingBuildAsync(string package) => AuditingBuilds.SubmitAsync(Builds, package);

    public static AuditFacts Facts => new("sha256:" + new string('b', 64),
        [new("debhelper-compat", "13", AuditDependencyOrigin.Mirror, new string('1', 64)), new("gcc", "4:12.2.0-3", AuditDependencyOrigin.Pocket("dev"), new string('2', 64))]);

    public static string UniquePackage(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>The build's events straight from build_events (at, from, to, message), in order.</summary>
    public async Task<IReadOnlyList<(DateTime At, string? FromState, string ToState, string? Message)>> EventsAsync(long build)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        var rows = await conn.QueryAsync<(DateTime, string?, string, string?)>(
            "SELECT at, from_state, to_state, message FROM build_events WHERE build_id = @build ORDER BY id", new { build });
        return [.. rows];
    }
}
