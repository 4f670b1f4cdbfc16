using Builder.Daemon.Pipeline;
using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Pipeline;

/// <summary>plan.json across daemon restarts and upgrades: a build waiting in auditing resumes with what was prepared.</summary>
public sealed class BuildPlanTests
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("build-plan");

    [Fact]
    public async Task Build_dep_origins_survive_the_plan_on_disk()
    {
        var plan = new BuildPlan(new string('c', 40), "1.0-1", null, "/w/hello_1.0-1.dsc", ["/w/hello_1.0-1.dsc"],
            [new("zlib1g-dev", "1:1.2.13.dfsg-1", "amd64", "zlib1g-dev_1+1.2.13.dfsg-1_amd64.deb", 10, new string('1', 64), "mirror"),
             new("libfoo-dev", "1.2-3", "amd64", "libfoo-dev_1.2-3_amd64.deb", 20, new string('2', 64), "pocket:dev")],
            "/w/debs", new string('b', 64), null, "misc", "optional");

        await plan.SaveAsync(_dir, CancellationToken.None);
        var back = await BuildPlan.LoadAsync(_dir, CancellationToken.None);

        Assert.Equal(plan.BuildDeps, back!.BuildDeps);
    }

    [Fact]
    public async Task A_plan_written_before_build_dep_origins_loads_with_no_origin()
    {
        // The shape an older builderd wrote: build-deps without "origin".
        await File.WriteAllTextAsync(Path.Combine(_dir, BuildPlan.FileName), $$"""
            {
              "commitId": "{{new string('c', 40)}}", "version": "1.0-1", "expectedHeadCommit": null, "dscPath": "/w/hello_1.0-1.dsc",
              "sourceFiles": ["/w/hello_1.0-1.dsc"],
              "buildDeps": [{ "name": "zlib1g-dev", "version": "1:1.2.13.dfsg-1", "architecture": "amd64",
                              "fileName": "zlib1g-dev_1+1.2.13.dfsg-1_amd64.deb", "size": 10, "sha256": "{{new string('1', 64)}}" }],
              "debsDirectory": "/w/debs", "imageManifestSha256": "{{new string('b', 64)}}", "copyFromPocket": null,
              "section": "misc", "priority": "optional"
            }
            """);

        var plan = await BuildPlan.LoadAsync(_dir, CancellationToken.None);

        var dep = Assert.Single(plan!.BuildDeps);
        Assert.Equal(("zlib1g-dev", new string('1', 64)), (dep.Name, dep.Sha256));
        Assert.Null(dep.Origin);
    }
}
