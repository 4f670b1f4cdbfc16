using System.Globalization;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// Two builderd on one database as two hosts (Scheduler:HostName, each its own Pipeline:WorkDirectory): a build
/// prepared on host-one waits in auditing while the audit SMTP server is down; the server comes back while host-one's
/// daemon is frozen (SIGSTOP, shorter than Scheduler:DeadAfter), so host-two's audit retry gets the record through and
/// host-two's scheduler sees the resume first. The resume must run where the plan is: the build succeeds on host-one.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed class TwoHostsResumeEndToEndTests(TwoHostsResumeEndToEndTests.Host host) : IClassFixture<TwoHostsResumeEndToEndTests.Host>
{
    public sealed class Host : BuilderdProcessHost
    {
        private LateSmtpServer? _smtp;

        public LateSmtpServer Smtp => _smtp ??= new LateSmtpServer(Root);

        public override string Maildir => Smtp.Maildir;

        protected override IReadOnlyList<string> Packages => ["home-a"];

        protected override string SmtpEndpoint => Smtp.Endpoint;

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (_smtp is not null)
            {
                await _smtp.DisposeAsync();
            }
        }
    }

    private Dictionary<string, string> On(string hostName) => new()
    {
        ["Scheduler:HostName"] = hostName,
        ["Pipeline:WorkDirectory"] = Path.Combine(host.Root, "builds-" + hostName),
        ["Scheduler:Slots"] = "1",
        // Longer than the freeze: host-one's daemon stays alive in daemon_instances throughout.
        ["Scheduler:DeadAfter"] = "00:05:00",
        // Named, so the freeze can tell this daemon's database sessions from the other's.
        ["Database:ConnectionString"] = host.Database.ConnectionString + ";Application Name=builderd-" + hostName,
    };

    [Fact]
    public async Task A_build_waiting_in_auditing_resumes_on_the_host_that_holds_its_plan_when_another_hosts_retry_delivers_its_record()
    {
        await using var one = await host.StartBuilderAsync("one", On("host-one"));
        var id = await host.SubmitAsync("home-a");
        await host.WaitUntilAsync(id,
            d => BuildWaits.State(d) == "auditing"
                && BuildWaits.Events(d).Any(e => e.Message?.Contains("(build-start) failed, attempt", StringComparison.Ordinal) == true),
            TimeSpan.FromMinutes(5), "a failed delivery of the build-start record");
        Assert.True(Directory.Exists(Path.Combine(host.Root, "builds-host-one", id.ToString(CultureInfo.InvariantCulture))));

        await using var two = await host.StartBuilderAsync("two", On("host-two"));
        await FreezeOutsideATransactionAsync(one, "host-one");
        try
        {
            await host.Smtp.StartAsync();
            // Only host-two runs the retry now. Wait until it delivered the record and had the resume in its hands: it
            // sent it home, or (the defect) it took the build and failed it for want of a plan.
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (true)
            {
                var details = await host.DetailsAsync(id);
                if (BuildWaits.IsFinal(BuildWaits.State(details)) || two.LogTail(400).Contains("the resume is sent there", StringComparison.Ordinal))
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"host-two never handled the resume:\n{two.LogTail()}");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            Signal(one, "CONT");
        }

        var build = await host.WaitForEndAsync(id, TimeSpan.FromMinutes(20));
        Assert.True(BuildWaits.State(build) == "succeeded",
            $"{BuildWaits.Field(build, "reason")}\n{await host.LogAsync(id)}\n{one.LogTail()}\n{two.LogTail()}");
        Assert.Equal(["queued", "preparing", "auditing", "building", "publishing", "succeeded"], BuildWaits.States(build));
        var events = BuildWaits.Events(build);
        Assert.Contains(events, e => e.Message?.Contains("resumes on host-one:", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(events, e => e.Message?.Contains("on host-two:", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// SIGSTOP at a moment the daemon holds no open transaction. Frozen inside one (Quartz takes its cluster locks as row
    /// locks in a transaction, every few seconds), it would hold those locks for the whole freeze and no other daemon's
    /// scheduler could fire anything: a frozen host that holds a lock stops the cluster until its session dies.
    /// </summary>
    private async Task FreezeOutsideATransactionAsync(BuilderdProcess builder, string hostName)
    {
        for (var attempt = 1; ; attempt++)
        {
            Signal(builder, "STOP");
            await using var conn = await host.Database.DataSource.OpenConnectionAsync();
            await using var cmd = new Npgsql.NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND xact_start IS NOT NULL", conn);
            cmd.Parameters.AddWithValue("name", "builderd-" + hostName);
            if ((long)(await cmd.ExecuteScalarAsync())! == 0)
            {
                return;
            }
            Signal(builder, "CONT");
            Assert.True(attempt < 200, $"builderd {hostName} was inside a transaction at each of 200 tries");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static void Signal(BuilderdProcess builder, string signal) =>
        TestProcess.Check("kill", ["-" + signal, builder.Pid.ToString(CultureInfo.InvariantCulture)]);
}
