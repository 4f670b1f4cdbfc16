using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Builder.Audit;
using Builder.Audit.Delivery;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Builder.Daemon.Tests.Audit;

/// <summary>The AuditRetry job in a real (in-memory) Quartz scheduler, against a real aiosmtpd that comes back after refusing.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditRetryJobTests : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-job");
    private Process? _smtp;

    public Task InitializeAsync() => _db.InitializeAsync();

    [Fact]
    public async Task The_job_delivers_a_refused_record_once_the_server_is_back_and_tells_the_pipeline()
    {
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=builder audit",
            "-keyout", Path.Combine(_dir, "audit.key"), "-out", Path.Combine(_dir, "audit.pem"));
        var port = FreePort();
        var accepted = new AcceptedBuilds();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = _db.ConnectionString,
            ["Audit:Smtp:Host"] = "127.0.0.1",
            ["Audit:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Audit:Smtp:Tls"] = "None",
            ["Audit:From"] = "builder@builder.test",
            ["Audit:To:0"] = "audit@offsite.test",
            ["Audit:AlertTo:0"] = "admin@builder.test",
            ["Audit:SigningCertificateFile"] = Path.Combine(_dir, "audit.pem"),
            ["Audit:SigningKeyFile"] = Path.Combine(_dir, "audit.key"),
            // Short back-off so the job's next poll finds the record due.
            ["Audit:RetryBase"] = "00:00:00.2",
            ["Audit:RetryCap"] = "00:00:01",
            ["Audit:RetryJitter"] = "00:00:00",
        });
        builder.Services.AddBuilderStore();
        builder.Services.AddBuilderAudit();
        builder.Services.AddSingleton<IAuditAcceptedHandler>(accepted);
        builder.Services.AddQuartz(q => q.AddAuditJobs(TimeSpan.FromMilliseconds(200)));
        using var host = builder.Build();
        await host.StartAsync();
        var builds = host.Services.GetRequiredService<BuildRepository>();
        var trail = host.Services.GetRequiredService<AuditTrail>();

        var id = await builds.SubmitAsync(new NewBuild("dev", "retried", null, "alice", "SHA256:" + new string('Q', 43), new string('a', 64),
            "builder-request 1\n", "-----BEGIN SSH SIGNATURE-----\n", Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(await builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        Assert.True(await builds.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
        var first = await trail.EnsureAuditedAsync((await builds.GetAsync(id, CancellationToken.None))!, new AuditFacts(null, []), CancellationToken.None);
        Assert.Equal(AuditDeliveryState.Pending, first.State);

        await StartSmtpAsync(port);
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            // A guard against a hang, not a timing assertion: the job polls every 200 ms.
            var started = await accepted.First.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(id, started);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        var record = (await host.Services.GetRequiredService<AuditRepository>().GetAsync(first.Seq, CancellationToken.None))!;
        Assert.True(record.Accepted);
        Assert.True(Directory.GetFiles(Path.Combine(_dir, "Maildir", "new")).Length == 1);
        Assert.True(await builds.TransitionAsync(id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        await host.StopAsync();
    }

    private sealed class AcceptedBuilds : IAuditAcceptedHandler
    {
        public TaskCompletionSource<long> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task BuildStartAcceptedAsync(long buildId, int attempt, CancellationToken cancellationToken)
        {
            First.TrySetResult(buildId);
            return Task.CompletedTask;
        }
    }

    private async Task StartSmtpAsync(int port)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox", "-l", $"127.0.0.1:{port}", Path.Combine(_dir, "Maildir") })
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
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{port}");
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} failed: {await stderr}");
    }

    public async Task DisposeAsync()
    {
        if (_smtp is { HasExited: false })
        {
            _smtp.Kill();
            await _smtp.WaitForExitAsync();
        }
        _smtp?.Dispose();
        await _db.DisposeAsync();
    }
}
