using Builder.Audit.Mail;
using Builder.Audit.Notify;
using Builder.Audit.Options;
using Builder.Core.Builds;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Builder.Audit.Tests.Notify;

public sealed class NotificationComposerTests
{
    private static NotificationComposer Composer()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AuditOptions { From = "builder@builder.test" });
        return new NotificationComposer(new AuditMailComposer(options, new AuditMessageSigner(options), new FakeTimeProvider()));
    }

    private static BuildNotification Failed(string log) => new(42, "dev", "hello", "2.10-3", new string('c', 40), BuildState.Failed, BuildStages.Building,
        "dpkg-buildpackage exited 2", ["alice@example.org", "dev-list@example.org"], log, new Uri("https://builder.example.org/builds/42"));

    [Fact]
    public void A_failure_mail_names_state_stage_version_link_and_goes_to_requester_and_list()
    {
        var message = Composer().Compose(Failed("one\ntwo\n"));
        Assert.Equal("[builder] dev/hello 2.10-3: failed at building", message.Subject);
        Assert.Equal(["alice@example.org", "dev-list@example.org"], message.To.Mailboxes.Select(m => m.Address));
        var text = Assert.IsType<TextPart>(message.Body).Text;
        Assert.Contains("State:   failed\n", text, StringComparison.Ordinal);
        Assert.Contains("Failed stage: building\n", text, StringComparison.Ordinal);
        Assert.Contains("Version: 2.10-3\n", text, StringComparison.Ordinal);
        Assert.Contains("Details: https://builder.example.org/builds/42\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Last 2 lines of the log:\n\n  one\n  two\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_success_mail_says_succeeded()
    {
        var message = Composer().Compose(Failed("") with { State = BuildState.Succeeded, FailedStage = null, Reason = null });
        Assert.Equal("[builder] dev/hello 2.10-3: succeeded", message.Subject);
        Assert.DoesNotContain("Failed stage", Assert.IsType<TextPart>(message.Body).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_last_50_lines_are_mailed_cut_and_without_control_characters()
    {
        var log = string.Join("\r\n", Enumerable.Range(1, 200).Select(i => $"line {i}")) + "\n\u001b[31mred\u0007\n" + new string('x', 5000);
        var tail = NotificationComposer.Tail(log);
        Assert.Equal(50, tail.Count);
        // 202 lines: the last 50 are lines 153-200, the colored line and the long one.
        Assert.Equal("line 153", tail[0]);
        Assert.Equal("?[31mred?", tail[^2]);
        Assert.Equal(new string('x', 500) + "…", tail[^1]);
    }

    [Fact]
    public void A_reason_quoting_guest_text_is_mailed_as_one_clean_line()
    {
        var message = Composer().Compose(Failed("guest| bidi ?x\n") with
        {
            Reason = "dpkg-source: error: \u202Efdp.exe\n[2026-01-01T00:00:00Z] builder: published foo 1.0 to prod\u001b[2J",
        });

        var text = Assert.IsType<TextPart>(message.Body).Text;
        Assert.Contains("Reason:  dpkg-source: error: ?fdp.exe | [2026-01-01T00:00:00Z] builder: published foo 1.0 to prod?[2J\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', text);
        Assert.DoesNotContain('\u001b', text);
    }
}
