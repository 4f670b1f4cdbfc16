using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// Two builderd processes on one database and one Quartz cluster (different instance ids), one VM slot each: both take
/// builds, each build runs exactly once; one of them killed with SIGKILL while its VM runs takes the VM with it, and
/// the survivor recovers that build after Scheduler:DeadAfter (failed as interrupted, requeued, built again).
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed class TwoDaemonsEndToEndTests(TwoDaemonsEndToEndTests.Host host) : IClassFixture<TwoDaemonsEndToEndTests.Host>
{
    private static readonly string[] Names = ["duo-a", "duo-b", "duo-c"];

    public sealed class Host : BuilderdProcessHost
    {
        protected override IReadOnlyList<string> Packages => Names;
    }

    private static readonly Dictionary<string, string> OneSlot = new() { ["Scheduler:Slots"] = "1" };

    [Fact]
    public async Task Each_build_runs_once_on_one_of_two_daemons_and_a_killed_daemons_build_and_vm_are_recovered_by_the_other()
    {
        await using var one = await host.StartBuilderAsync("one", OneSlot);
        await using var two = await host.StartBuilderAsync("two", OneSlot);
        var ids = new Dictionary<long, string>();
        foreach (var name in Names)
        {
            ids[await host.SubmitAsync(name)] = name;
        }

        // With one slot each, both daemons take a build at once.
        var deadline = DateTime.UtcNow.AddMinutes(10);
        long onOne;
        while (true)
        {
            var runners = new List<(long Id, int Pid)>();
            foreach (var id in ids.Keys)
            {
                runners.AddRange(BuildEvidence.Runners(await host.DetailsAsync(id)).Select(r => (id, r.Pid)));
            }
            if (runners.Any(r => r.Pid == one.Pid) && runners.Any(r => r.Pid == two.Pid))
            {
                onOne = runners.First(r => r.Pid == one.Pid).Id;
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not both daemons took a build: {string.Join(", ", runners)}\n{one.LogTail()}\n{two.LogTail()}");
            await Task.Delay(250);
        }

        // Kill the first daemon while the VM of its build runs: the VM must die with it.
        var vmDirectory = Path.Combine(host.VmDirectory, $"{onOne}.1");
        IReadOnlyList<int> qemu;
        while ((qemu = BuildEvidence.QemuUnder(vmDirectory)).Count == 0)
        {
            var state = BuildWaits.State(await host.DetailsAsync(onOne));
            Assert.True(DateTime.UtcNow < deadline && state is "preparing" or "auditing" or "building",
                $"build {onOne} is {state} and its VM was not seen running:\n{await host.LogAsync(onOne)}\n{one.LogTail()}");
            await Task.Delay(200);
        }
        await one.KillAsync();
        await BuildEvidence.AssertNoQemuLeftAsync(vmDirectory, $"after the kill of builderd {one.Pid} (qemu pids {string.Join(' ', qemu)})");

        var done = await host.WaitForAllAsync(ids.Keys, TimeSpan.FromMinutes(20), two);
        foreach (var (id, name) in ids)
        {
            var details = done[id];
            var build = BuildWaits.Build(details);
            Assert.True(BuildWaits.State(details) == "succeeded", $"{name} (build {id}) is {BuildWaits.State(details)}:\n{await host.LogAsync(id)}");
            var log = await host.LogAsync(id);
            if (id == onOne)
            {
                // Failed as interrupted by the survivor, requeued once, built there.
                Assert.Equal(["queued", "preparing", "auditing", "building", "failed(interrupted)", "queued", "preparing", "auditing", "building", "publishing",
                    "succeeded"], BuildEvidence.Transitions(details));
                Assert.Equal([(1, one.Pid), (2, two.Pid)], BuildEvidence.Runners(details));
                Assert.Equal([$"{id}.1", $"{id}.2"], BuildEvidence.VmRuns(host.VmDirectory, id));
            }
            else
            {
                // Exactly once: one claim, one runner, one VM, one publish.
                Assert.Equal(["queued", "preparing", "auditing", "building", "publishing", "succeeded"], BuildEvidence.Transitions(details));
                Assert.Single(BuildEvidence.Runners(details));
                Assert.Equal([$"{id}.1"], BuildEvidence.VmRuns(host.VmDirectory, id));
                Assert.Single(log.Split('\n'), l => l.Contains("builder: VM Succeeded", StringComparison.Ordinal));
                Assert.Single(log.Split('\n'), l => l.Contains($"builder: published {name} ", StringComparison.Ordinal));
            }
            BuildEvidence.AssertEveryVmStartWasAuditedFirst(details, host.Mailbox, name);
            await BuildEvidence.AssertEveryAuditedAttemptClosedAsync(host.Mailbox, id, "succeeded");
            var version = build.GetProperty("version").GetString()!;
            BuildEvidence.AssertPublishedOnce(host.AptDirectory, "dev", name, version);
            BuildEvidence.AssertTaggedOnce(Path.Combine(host.GitDirectory, name + ".git"), "dev", version, build.GetProperty("commit").GetString()!, id);
        }
        await BuildEvidence.AssertNoQemuLeftAsync(host.VmDirectory, "after the builds");
    }
}
