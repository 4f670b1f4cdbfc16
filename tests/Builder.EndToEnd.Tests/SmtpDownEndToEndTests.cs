using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// Fail-closed audit against real processes: while the off-site SMTP server is down the build waits in auditing and no
/// VM starts; once a server listens on that port, the retried record is accepted and the build runs to the end.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed class SmtpDownEndToEndTests(SmtpDownPipelineHost host) : IClassFixture<SmtpDownPipelineHost>
{
    [Fact]
    public async Task Build_waits_in_auditing_while_the_audit_smtp_server_is_down_and_succeeds_once_it_listens()
    {
        var alice = new CliUser(host, "alice", host.Alice);
        var submit = await alice.RunAsync("submit", "dev", "builder-hello");
        Assert.True(submit.Code == 0, submit.ToString());
        var id = submit.QueuedBuildId;

        // Delivery is retried with back-off while nothing listens; the build stays in auditing meanwhile.
        var waiting = await host.WaitUntilAsync(id,
            d => BuildWaits.Events(d).Count(e => e.Message?.Contains("(build-start) failed, attempt", StringComparison.Ordinal) == true) >= 2,
            TimeSpan.FromMinutes(5), "two failed delivery attempts of the build-start record");
        Assert.Equal("auditing", BuildWaits.State(waiting));
        Assert.DoesNotContain("building", BuildWaits.States(waiting));
        Assert.Contains(BuildWaits.Events(waiting), e => e.Message?.Contains("(transient)", StringComparison.Ordinal) == true);

        await host.StartSmtpAsync();

        var build = await host.WaitForEndAsync(id, TimeSpan.FromMinutes(25));
        Assert.True(BuildWaits.State(build) == "succeeded", await host.LogAsync(id));
        Assert.Equal(["queued", "preparing", "auditing", "building", "publishing", "succeeded"], BuildWaits.States(build));

        // In build_events, the record's acceptance comes after every failed attempt and before the VM started.
        var events = BuildWaits.Events(build).ToList();
        var accepted = events.FindIndex(e => e.Message?.Contains("(build-start) accepted", StringComparison.Ordinal) == true);
        var building = events.FindIndex(e => e.To == "building" && e.From != "building");
        var lastFailure = events.FindLastIndex(e => e.Message?.Contains("(build-start) failed", StringComparison.Ordinal) == true);
        Assert.True(accepted > lastFailure && lastFailure >= 0, string.Join("\n", events));
        Assert.True(building > accepted, string.Join("\n", events));
        Assert.True(events[building].At >= events[accepted].At);

        // The server that came up holds the record, stored before the VM started.
        var audit = await host.Mailbox.WaitForBuildEndRecordAsync(id);
        var start = Assert.Single(audit, m => Mailbox.IsEvent(m, "build-start"));
        Assert.True(start.StoredUtc <= BuildWaits.EnteredAt(build, "building").UtcDateTime, "the audit mail arrived after the build started");
    }
}
