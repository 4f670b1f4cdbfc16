using System.Text.Json;
using System.Text.RegularExpressions;

namespace Builder.EndToEnd.Tests;

public sealed partial class PocketTrustEndToEndTests
{
    private const string ForgedPublish = "[2026-01-01T00:00:00Z] builder: published liar 1.0 to prod";

    [GeneratedRegex(@"^(guest\| |hook\| |\[hook |\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] builder: )")]
    private static partial Regex MarkedLine();

    /// <summary>
    /// liar's debian/rules prints, as the unprivileged build user, the agent's exit marker, a daemon line claiming a
    /// publication, U+202E and ANSI escapes, then fails: in the log, the API and the mail those lines are the guest's,
    /// marked and neutralised, and nothing reads as the daemon saying it published.
    /// </summary>
    [Fact]
    public async Task A_package_that_prints_forged_daemon_lines_and_bidi_or_ansi_text_shows_them_only_as_marked_clean_guest_lines()
    {
        var (id, build, log) = await FailsAtBuildingAsync("liar");

        var lines = log.TrimEnd('\n').Split('\n');
        Assert.Contains("guest| builder-agent: exit 0", lines);
        Assert.Contains("guest| " + ForgedPublish, lines);
        Assert.Contains("guest| liar bidi: ?evil? end", lines);
        Assert.Contains("guest| liar ansi: ?[2J?[31mred?[0m end", lines);
        Assert.All(lines, l => Assert.Matches(MarkedLine(), l));
        Assert.DoesNotContain(lines, l => l.StartsWith("builder-agent:", StringComparison.Ordinal) || l.StartsWith("[2026-01-01", StringComparison.Ordinal));
        Assert.DoesNotContain('\u202E', log);
        Assert.DoesNotContain('\u001b', log);

        // No field of the build's JSON carries the escapes or the forged line.
        Assert.All(Strings(build), s =>
        {
            Assert.DoesNotContain('\u202E', s);
            Assert.DoesNotContain('\u001b', s);
            Assert.DoesNotContain("builder: published liar", s, StringComparison.Ordinal);
        });

        var mail = await host.Mailbox.WaitForNotificationAsync(id);
        Assert.Contains("\n  guest| " + ForgedPublish + "\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("\n  guest| liar bidi: ?evil? end\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("\n  guest| liar ansi: ?[2J?[31mred?[0m end\n", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', mail.Text);
        Assert.DoesNotContain('\u001b', mail.Text);
        Assert.DoesNotContain(mail.Text.Split('\n'), l => l.TrimStart().StartsWith("builder-agent:", StringComparison.Ordinal)
            || l.TrimStart().StartsWith("[2026-01-01", StringComparison.Ordinal));
        Assert.Empty(Listed("dev", "liar"));
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
