using Builder.Audit;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Builder.Cli.Tests.Audit;

/// <summary>
/// A real audit mailbox with checkpoints, written by the daemon's wiring on a clock set back six hours: seq 1-2 a
/// build at T, seq 3 a checkpoint at T+1h, seq 4-5 a build at T+2h, seq 6 a checkpoint at T+3h, seq 7 a checkpoint now.
/// </summary>
public sealed class AuditCheckpointMailboxFixture : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private AiosmtpdProcess? _smtp;
    private IHost? _host;

    public string Dir { get; } = TestEnvironment.NewTempDirectory("audit-checkpoints");

    public string Maildir => Path.Combine(Dir, "Maildir");

    public string CertificateFile => Path.Combine(Dir, "audit.pem");

    public Dictionary<long, string> Files { get; } = [];

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var certificate = await SigningCertificate.CreateAsync(Dir, "audit");
        _smtp = await AiosmtpdProcess.StartAsync(Maildir);
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now.AddHours(-6));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(AuditConfiguration.Loopback(_smtp.Port, certificate));
        builder.Configuration.AddInMemoryCollection([new("Database:ConnectionString", _db.ConnectionString)]);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddBuilderStore();
        builder.Services.AddBuilderAuditDelivery();
        _host = builder.Build();
        await _host.StartAsync();
        var trail = _host.Services.GetRequiredService<AuditTrail>();
        var builds = _host.Services.GetRequiredService<BuildRepository>();

        await BuildAsync(trail, builds, "cp0");
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await trail.RecordCheckpointAsync(CancellationToken.None)).Accepted);
        clock.Advance(TimeSpan.FromHours(1));
        await BuildAsync(trail, builds, "cp1");
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await trail.RecordCheckpointAsync(CancellationToken.None)).Accepted);
        clock.SetUtcNow(now);
        Assert.True((await trail.RecordCheckpointAsync(CancellationToken.None)).Accepted);

        foreach (var file in Directory.GetFiles(Path.Combine(Maildir, "new")))
        {
            var seq = File.ReadLines(file).First(l => l.StartsWith("X-Builder-Audit-Seq: ", StringComparison.Ordinal))["X-Builder-Audit-Seq: ".Length..];
            Files.Add(long.Parse(seq, System.Globalization.CultureInfo.InvariantCulture), Path.GetFileName(file));
        }
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], Files.Keys.Order());
    }

    private static async Task BuildAsync(AuditTrail trail, BuildRepository builds, string package)
    {
        var build = await AuditingBuilds.SubmitAsync(builds, package);
        Assert.True((await trail.EnsureAuditedAsync(build, new AuditFacts(null, []), CancellationToken.None)).Accepted);
        Assert.True(await builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.True(await builds.TransitionAsync(build.Id, BuildState.Building, BuildState.Publishing, null, null, null, CancellationToken.None));
        var end = await trail.RecordBuildEndAsync(build, new AuditFacts(null, []),
            new BuildEndFacts(AuditResult.Succeeded, null, [new($"{package}_1.0-1.dsc", new string('d', 64))], null), CancellationToken.None);
        Assert.True(end.Accepted, end.LastError);
    }

    /// <summary>A copy of the Maildir without the mails of <paramref name="deleted"/>.</summary>
    public string CopyMaildir(params long[] deleted)
    {
        var copy = Path.Combine(TestEnvironment.NewTempDirectory("audit-maildir"), "Maildir");
        foreach (var sub in new[] { "new", "cur", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(copy, sub));
        }
        foreach (var (seq, file) in Files.Where(f => !deleted.Contains(f.Key)))
        {
            File.Copy(Path.Combine(Maildir, "new", file), Path.Combine(copy, "new", file));
        }
        return copy;
    }

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
