using System.Diagnostics;
using System.Net.Sockets;
using Builder.Audit;
using Builder.Audit.Delivery;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
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
    private Process? _smtp;
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
        await MakeCertificateAsync("audit");
        await MakeCertificateAsync("mallory");
        var port = await StartSmtpAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = _db.ConnectionString,
            ["Audit:Smtp:Host"] = "127.0.0.1",
            ["Audit:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Audit:Smtp:Tls"] = "None",
            ["Audit:From"] = "builder@builder.test",
            ["Audit:To:0"] = "audit-a@offsite.test",
            ["Audit:To:1"] = "audit-b@offsite.test",
            ["Audit:AlertTo:0"] = "admin@builder.test",
            ["Audit:SigningCertificateFile"] = CertificateFile,
            ["Audit:SigningKeyFile"] = Path.Combine(Dir, "audit.key"),
            ["Audit:HostName"] = "builder1.test",
        });
        builder.Services.AddBuilderStore();
        builder.Services.AddBuilderAudit();
        _host = builder.Build();
        await _host.StartAsync();
        var trail = _host.Services.GetRequiredService<AuditTrail>();
        var builds = _host.Services.GetRequiredService<BuildRepository>();

        for (var i = 0; i < 3; i++)
        {
            var build = await AuditingBuildAsync(builds, $"verify{i}");
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
        var late = await AuditingBuildAsync(builds, "verify-late");
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

    private static async Task<BuildRecord> AuditingBuildAsync(BuildRepository builds, string package)
    {
        var id = await builds.SubmitAsync(new NewBuild("dev", package, null, "alice", "SHA256:" + new string('Q', 43), "sha256:" + new string('a', 64),
            $"builder-request 1\naction submit\npocket dev\npackage {package}\nrequester alice\n", "-----BEGIN SSH SIGNATURE-----\n",
            Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(await builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        Assert.True(await builds.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
        return (await builds.GetAsync(id, CancellationToken.None))!;
    }

    private async Task MakeCertificateAsync(string name)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
                 {
                     "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", $"/CN=builder {name}",
                     "-addext", "keyUsage=critical,digitalSignature,keyCertSign", "-addext", "extendedKeyUsage=emailProtection",
                     "-keyout", Path.Combine(Dir, $"{name}.key"), "-out", Path.Combine(Dir, $"{name}.pem"),
                 })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"openssl req failed: {stderr}");
    }

    private async Task<int> StartSmtpAsync()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox", "-l", $"127.0.0.1:{port}", Maildir })
        {
            psi.ArgumentList.Add(a);
        }
        _smtp = Process.Start(psi)!;
        _smtp.OutputDataReceived += (_, _) => { };
        _smtp.ErrorDataReceived += (_, _) => { };
        _smtp.BeginOutputReadLine();
        _smtp.BeginErrorReadLine();
        for (var i = 0; i < 200; i++)
        {
            Assert.False(_smtp.HasExited, "aiosmtpd exited (is python3-aiosmtpd installed? ops/deps/audit.list)");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return port;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        if (_smtp is { HasExited: false })
        {
            _smtp.Kill();
            await _smtp.WaitForExitAsync();
        }
        _smtp?.Dispose();
        await _db.DisposeAsync();
    }
}
