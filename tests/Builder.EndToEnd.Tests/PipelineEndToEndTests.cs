using System.Globalization;
using System.Text.Json;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The product's main job against the real services: a signed submit is built in a disposable VM with its compile
/// jobs sent through the gateway to distccd, published with reprepro, tagged in git, audited off-site before it
/// started, and announced by mail; the same commit then reaches prod by copy, not by a second build.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed class PipelineEndToEndTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    private const string Package = "builder-hello";

    private async Task<JsonElement> WaitForEndAsync(long id, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var (_, body) = await host.GetAsync($"api/v1/builds/{id}");
            var state = body.GetProperty("build").GetProperty("state").GetString();
            if (state is "succeeded" or "failed" or "rejected" or "cancelled")
            {
                return body;
            }
            Assert.True(DateTime.UtcNow < deadline, $"build {id} still {state} after {limit}");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static List<string> States(JsonElement build) =>
        [.. build.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("to").GetString()!)];

    private static DateTimeOffset EventTime(JsonElement build, string to) =>
        build.GetProperty("events").EnumerateArray().First(e => e.GetProperty("to").GetString() == to && e.GetProperty("from").GetString() != to)
            .GetProperty("at").GetDateTimeOffset();

    /// <summary>Maildir messages carrying <paramref name="header"/> = <paramref name="value"/>, decoded, with the time the SMTP server stored them.</summary>
    private List<(string Subject, string Text, DateTime StoredUtc, string Recipients)> Mails(string header, string value) =>
        [.. Directory.GetFiles(Path.Combine(host.Maildir, "new")).Concat(Directory.GetFiles(Path.Combine(host.Maildir, "cur")))
            .Select(f => (Message: MimeKit.MimeMessage.Load(f), Stored: File.GetLastWriteTimeUtc(f)))
            .Where(m => m.Message.Headers[header] == value)
            .Select(m => (m.Message.Subject ?? "", string.Join("\n", m.Message.BodyParts.OfType<MimeKit.TextPart>().Select(t => t.Text)), m.Stored,
                string.Join(", ", m.Message.To.Mailboxes.Select(a => a.Address))))];

    /// <summary>The build-end record and the notification follow the final transition: wait for them to arrive.</summary>
    private async Task<List<(string Subject, string Text, DateTime StoredUtc, string Recipients)>> WaitForMailsAsync(
        string header, string value, Func<(string Subject, string Text, DateTime StoredUtc, string Recipients), bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var mails = Mails(header, value);
            if (mails.Any(wanted) || DateTime.UtcNow > deadline)
            {
                return mails;
            }
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Demo_package_is_built_in_the_vm_published_audited_tagged_notified_and_then_copied_to_prod()
    {
        var (status, submitted) = await host.PostAsync(DaemonHost.Submit("alice", pocket: "dev", package: Package), host.Alice);
        Assert.Equal(201, status);
        var id = submitted.GetProperty("id").GetInt64();
        var build = await WaitForEndAsync(id, TimeSpan.FromMinutes(25));
        using var log = await host.Http.GetAsync($"api/v1/builds/{id}/log");
        var logText = await log.Content.ReadAsStringAsync();
        Assert.True(build.GetProperty("build").GetProperty("state").GetString() == "succeeded", logText);

        // Every stage, in order, each a build_events row.
        var states = States(build);
        Assert.Equal(["queued", "preparing", "auditing", "building", "publishing", "succeeded"], states.Distinct().ToList());
        Assert.Equal("1.0", build.GetProperty("build").GetProperty("version").GetString());

        // The build-start record was accepted by the SMTP server before the VM started (the server's own timestamp).
        var idText = id.ToString(CultureInfo.InvariantCulture);
        var audit = await WaitForMailsAsync("X-Builder-Audit-Build", idText, m => m.Text.Contains("\nevent build-end\n", StringComparison.Ordinal));
        var start = Assert.Single(audit, m => m.Text.Contains("\nevent build-start\n", StringComparison.Ordinal));
        Assert.True(start.StoredUtc <= EventTime(build, "building").UtcDateTime, "the audit mail arrived after the build started");
        Assert.Single(audit, m => m.Text.Contains("\nevent build-end\n", StringComparison.Ordinal) && m.Text.Contains("\nresult succeeded\n", StringComparison.Ordinal));

        // The compile jobs went through the gateway to the farm.
        Assert.Matches(@"[1-9]\d* compile jobs through the farm", logText);

        // Published with reprepro: the .deb is in the pool and dpkg-deb reads it.
        var deb = Directory.GetFiles(Path.Combine(host.AptDirectory, "pool"), $"{Package}_1.0_amd64.deb", SearchOption.AllDirectories).Single();
        Assert.Contains($"Package: {Package}", TestProcess.Check("dpkg-deb", ["--info", deb]), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(host.AptDirectory, "dists", "dev", "InRelease")));

        // Tagged in git, naming the build.
        var repo = Path.Combine(host.GitDirectory, Package + ".git");
        var tag = TestProcess.Check("git", ["-C", repo, "cat-file", "-p", "dev/1.0"]);
        Assert.Contains($"\nBuild: {idText}\n", tag, StringComparison.Ordinal);
        Assert.Contains("\nAudit-Seq: ", tag, StringComparison.Ordinal);

        // Notified: the requester and the pocket's list.
        var notice = Assert.Single(await WaitForMailsAsync("X-Builder-Build", idText, _ => true));
        Assert.Contains("alice@builder.test", notice.Recipients, StringComparison.Ordinal);
        Assert.Contains("dev-list@builder.test", notice.Recipients, StringComparison.Ordinal);
        Assert.Equal($"[builder] dev/{Package} 1.0: succeeded", notice.Subject);
        Assert.Contains("published builder-hello 1.0", notice.Text, StringComparison.Ordinal);

        // prod's branch points at the same commit: the binaries are copied, still audited, never rebuilt.
        var (prodStatus, prodSubmitted) = await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod", package: Package), host.Alice);
        Assert.Equal(201, prodStatus);
        var prodId = prodSubmitted.GetProperty("id").GetInt64();
        var prod = await WaitForEndAsync(prodId, TimeSpan.FromMinutes(5));
        Assert.Equal("succeeded", prod.GetProperty("build").GetProperty("state").GetString());
        Assert.DoesNotContain("building", States(prod));
        Assert.Single(Mails("X-Builder-Audit-Build", prodId.ToString(CultureInfo.InvariantCulture)), m => m.Text.Contains("\nevent build-start\n", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(host.AptDirectory, "pool"), $"{Package}_1.0_amd64.deb", SearchOption.AllDirectories));
        Assert.Contains($"prod|main|amd64: {Package} 1.0", TestProcess.Check("reprepro", ["--basedir", host.AptDirectory, "list", "prod", Package]), StringComparison.Ordinal);
    }
}
