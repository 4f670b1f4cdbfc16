using System.Globalization;
using System.Text;
using System.Text.Json;
using Builder.Daemon.Scheduling;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>
/// What a build left behind outside its own record, read the way an operator or auditor would: audit mails in the
/// Maildir, the apt repository, git tags, VM directories, qemu processes; and the story its build_events tell.
/// </summary>
public static class BuildEvidence
{
    /// <summary>The transitions (from ≠ to), oldest first, failed ones with their stage: "failed(interrupted)".</summary>
    public static IReadOnlyList<string> Transitions(JsonElement details) =>
        [.. details.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("from").GetString() != e.GetProperty("to").GetString())
            .Select(e => e.GetProperty("to").GetString() + (e.GetProperty("stage").GetString() is { } stage ? $"({stage})" : ""))];

    /// <summary>When the build entered <paramref name="state"/>, each time it did.</summary>
    public static IReadOnlyList<DateTimeOffset> Entered(JsonElement details, string state) =>
        [.. BuildWaits.Events(details).Where(e => e.To == state && e.From != state).Select(e => e.At)];

    /// <summary>Which daemon (its pid) ran or resumed each attempt: the pipeline notes "attempt N runs on host:pid:ticks".</summary>
    public static IReadOnlyList<(int Attempt, int Pid)> Runners(JsonElement details) =>
        [.. BuildWaits.Events(details).Select(e => e.Message ?? "").Where(m => m.StartsWith("attempt ", StringComparison.Ordinal) && m.Contains(" on ", StringComparison.Ordinal))
            .Select(m => (int.Parse(m.Split(' ')[1], CultureInfo.InvariantCulture), DaemonInstance.PidOf(m[(m.IndexOf(" on ", StringComparison.Ordinal) + 4)..]) ?? -1))];

    /// <summary>The audit records of one build, as the off-site server stored them: event, seq, when it was stored, text.</summary>
    public static IReadOnlyList<(string Event, long Seq, DateTime StoredUtc, string Text)> AuditRecords(Mailbox mailbox, long buildId) =>
        [.. mailbox.AuditRecords(buildId)
            .Select(m => (Field(m.Text, "event"), long.Parse(Field(m.Text, "seq"), CultureInfo.InvariantCulture), m.StoredUtc, m.Text))
            .OrderBy(r => r.Item2)];

    /// <summary>A record field's value; empty for a field written as the bare key.</summary>
    private static string Field(string record, string name) =>
        record.Split('\n').First(l => l == name || l.StartsWith(name + " ", StringComparison.Ordinal)) is var line && line.Length > name.Length
            ? line[(name.Length + 1)..]
            : "";

    /// <summary>
    /// Every time the build entered building, an accepted build-start record of that attempt was already stored
    /// off-site, and there is exactly one such record per time.
    /// </summary>
    public static void AssertEveryVmStartWasAuditedFirst(JsonElement details, Mailbox mailbox, string package)
    {
        var id = BuildWaits.Build(details).GetProperty("id").GetInt64();
        var starts = AuditRecords(mailbox, id).Where(r => r.Event == "build-start").ToList();
        var building = Entered(details, "building");
        Assert.True(starts.Count == building.Count,
            $"build {id} ({package}) entered building {building.Count} times but has {starts.Count} build-start records off-site");
        for (var i = 0; i < building.Count; i++)
        {
            Assert.True(starts[i].StoredUtc <= building[i].UtcDateTime,
                $"build {id} ({package}): build-start seq {starts[i].Seq} was stored at {starts[i].StoredUtc:O}, after the VM started at {building[i]:O}");
        }
    }

    /// <summary>
    /// Every attempt that opened a build-start record is closed by a build-end record: failed at stage interrupted for
    /// each attempt its daemon did not live to end, the build's own result for the last. The build-end record follows the
    /// final transition, so this waits (bounded) for the mail.
    /// </summary>
    public static async Task AssertEveryAuditedAttemptClosedAsync(Mailbox mailbox, long buildId, string result)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var records = AuditRecords(mailbox, buildId);
            var starts = records.Count(r => r.Event == "build-start");
            var ends = records.Where(r => r.Event == "build-end").Select(r => (Field(r.Text, "result"), Field(r.Text, "failed-stage"))).ToList();
            if (ends.Count >= starts || DateTime.UtcNow > deadline)
            {
                Assert.Equal([.. Enumerable.Repeat(("failed", "interrupted"), starts - 1), (result, "")], ends);
                return;
            }
            await Task.Delay(500);
        }
    }

    /// <summary>The package is in the pocket's distribution exactly once (source and binary) and its pool has one .deb.</summary>
    public static void AssertPublishedOnce(string aptDirectory, string pocket, string package, string version)
    {
        var listed = TestProcess.Check("reprepro", ["--basedir", aptDirectory, "list", pocket, package]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"{pocket}|main|amd64: {package} {version}", $"{pocket}|main|source: {package} {version}"], listed.Order(StringComparer.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(aptDirectory, "pool"), $"{package}_{version}_amd64.deb", SearchOption.AllDirectories));
    }

    /// <summary>The repository has exactly one pocket tag for the package, on the built commit, naming the build.</summary>
    public static void AssertTaggedOnce(string repository, string pocket, string version, string commit, long buildId)
    {
        var tags = TestProcess.Check("git", ["-C", repository, "tag", "--list", $"{pocket}/*"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"{pocket}/{version}"], tags);
        Assert.Equal(commit, TestProcess.Check("git", ["-C", repository, "rev-parse", $"{pocket}/{version}^{{commit}}"]));
        Assert.Contains($"\nBuild: {buildId.ToString(CultureInfo.InvariantCulture)}\n",
            TestProcess.Check("git", ["-C", repository, "cat-file", "-p", $"{pocket}/{version}"]) + "\n", StringComparison.Ordinal);
    }

    /// <summary>The VM directories (Vm:WorkDirectory/ID.ATTEMPT) of a build: one per attempt that started a VM.</summary>
    public static IReadOnlyList<string> VmRuns(string vmDirectory, long buildId) =>
        [.. Directory.GetDirectories(vmDirectory, string.Create(CultureInfo.InvariantCulture, $"{buildId}.*")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>Running qemu processes (not zombies) whose command line mentions <paramref name="directory"/>.</summary>
    public static IReadOnlyList<int> QemuUnder(string directory)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                // A zombie (killed, not yet reaped) has an empty command line.
                var cmdline = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Replace('\0', ' ');
                if (cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains(directory, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked.
            }
        }
        return found;
    }

    /// <summary>Waits (bounded) until no qemu mentions <paramref name="directory"/>; fails naming the survivors.</summary>
    public static async Task AssertNoQemuLeftAsync(string directory, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (QemuUnder(directory) is { Count: > 0 } left)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: qemu still running under {directory}: pids {string.Join(' ', left)}");
            await Task.Delay(200);
        }
    }
}
