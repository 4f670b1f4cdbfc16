using System.Globalization;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// builderd killed with SIGKILL at each stage boundary (held there by the test-only pause points), then started again:
/// every build reaches the end the recovery rules promise (preparing, building and publishing builds fail as
/// interrupted and are requeued once; an auditing build resumes), build_events tell that story, nothing is published or
/// tagged twice, and no VM ever started without an accepted build-start record. One daemon run holds four builds,
/// one at each boundary, so one kill and one restart cover them all.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed class CrashRecoveryEndToEndTests(CrashRecoveryEndToEndTests.Host host) : IClassFixture<CrashRecoveryEndToEndTests.Host>
{
    /// <summary>Package, pause point, the state the build is held in, and the transitions it goes through to succeed.</summary>
    private static readonly (string Package, string Point, string HeldIn, string[] Story)[] Cases =
    [
        ("crash-prepared", "prepared", "preparing",
            ["queued", "preparing", "failed(interrupted)", "queued", "preparing", "auditing", "building", "publishing", "succeeded"]),
        ("crash-audited", "audited", "auditing",
            ["queued", "preparing", "auditing", "building", "publishing", "succeeded"]),
        ("crash-built", "built", "building",
            ["queued", "preparing", "auditing", "building", "failed(interrupted)", "queued", "preparing", "auditing", "building", "publishing", "succeeded"]),
        ("crash-included", "included", "publishing",
            ["queued", "preparing", "auditing", "building", "publishing", "failed(interrupted)", "queued", "preparing", "auditing", "building", "publishing",
                "succeeded"]),
    ];

    public sealed class Host : BuilderdProcessHost
    {
        protected override IReadOnlyList<string> Packages => [.. Cases.Select(c => c.Package)];
    }

    private static readonly Dictionary<string, string> Slots = new() { ["Scheduler:Slots"] = "4" };

    [Fact]
    public async Task Builds_killed_at_every_stage_boundary_end_consistently_after_a_restart_published_and_tagged_once_never_built_unaudited()
    {
        var pauseAt = string.Join(',', Cases.Select(c => $"{c.Point}@dev/{c.Package}"));
        var ids = new Dictionary<string, long>();
        await using (var first = await host.StartBuilderAsync("first", Slots, pauseAt))
        {
            foreach (var c in Cases)
            {
                ids[c.Package] = await host.SubmitAsync(c.Package);
            }
            foreach (var c in Cases)
            {
                await WaitForMarkerAsync(ids[c.Package], c.Point, first);
            }
            foreach (var c in Cases)
            {
                Assert.Equal(c.HeldIn, BuildWaits.State(await host.DetailsAsync(ids[c.Package])));
            }
            await first.KillAsync();
        }
        await BuildEvidence.AssertNoQemuLeftAsync(host.VmDirectory, "after the kill");

        await using var second = await host.StartBuilderAsync("second", Slots);
        var done = await host.WaitForAllAsync(ids.Values, TimeSpan.FromMinutes(20), second);

        foreach (var c in Cases)
        {
            var id = ids[c.Package];
            var details = done[id];
            var build = BuildWaits.Build(details);
            Assert.True(BuildWaits.State(details) == "succeeded", $"{c.Package} (build {id}) is {BuildWaits.State(details)}:\n{await host.LogAsync(id)}");
            Assert.Equal(c.Story, BuildEvidence.Transitions(details));
            var attempts = build.GetProperty("attempts").GetInt32();
            Assert.Equal(c.Story.Count(s => s == "preparing"), attempts);
            // The last attempt ran (or resumed) on the restarted daemon.
            Assert.Equal(second.Pid, BuildEvidence.Runners(details).Last(r => r.Attempt == attempts).Pid);

            // A VM per attempt that entered building, none for an attempt stopped before, each after its audit record.
            var building = BuildEvidence.Entered(details, "building").Count;
            Assert.Equal(c.Story.Count(s => s == "building"), building);
            Assert.Equal(BuildEvidence.VmRuns(host.VmDirectory, id).Count, building);
            BuildEvidence.AssertEveryVmStartWasAuditedFirst(details, host.Mailbox, c.Package);
            await BuildEvidence.AssertEveryAuditedAttemptClosedAsync(host.Mailbox, id, "succeeded");

            var version = build.GetProperty("version").GetString()!;
            BuildEvidence.AssertPublishedOnce(host.AptDirectory, "dev", c.Package, version);
            BuildEvidence.AssertTaggedOnce(Path.Combine(host.GitDirectory, c.Package + ".git"), "dev", version, build.GetProperty("commit").GetString()!, id);
        }
        await BuildEvidence.AssertNoQemuLeftAsync(host.VmDirectory, "after the builds");
    }

    /// <summary>Waits until the build is held at its pause point (its marker file exists).</summary>
    private async Task WaitForMarkerAsync(long id, string point, Support.BuilderdProcess daemon)
    {
        var marker = Path.Combine(host.PauseDirectory, string.Create(CultureInfo.InvariantCulture, $"{id}.{point}"));
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (!File.Exists(marker))
        {
            var state = BuildWaits.State(await host.DetailsAsync(id));
            if (daemon.HasExited || BuildWaits.IsFinal(state) || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"build {id} never reached pause point {point} (it is {state}):\n{await host.LogAsync(id)}\n{daemon.LogTail()}");
            }
            await Task.Delay(250);
        }
    }
}
