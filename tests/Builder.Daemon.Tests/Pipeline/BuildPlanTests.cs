using Builder.Core.Audit;
using Builder.Core.Debian;
using Builder.Daemon.Pipeline;
using Builder.Daemon.Pipeline.Copies;
using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Pipeline;

/// <summary>plan.json across daemon restarts and upgrades: a build waiting in auditing resumes with what was prepared.</summary>
public sealed class BuildPlanTests
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("build-plan");

    private static BuildPlan Plan(CopySource? copy = null) => new(new string('c', 40), "1.0-1", null, "/w/hello_1.0-1.dsc", ["/w/hello_1.0-1.dsc"],
        [new("zlib1g-dev", "1:1.2.13.dfsg-1", "amd64", "zlib1g-dev_1+1.2.13.dfsg-1_amd64.deb", 10, new string('1', 64), "mirror"),
         new("libfoo-dev", "1.2-3", "amd64", "libfoo-dev_1.2-3_amd64.deb", 20, new string('2', 64), "pocket:dev")],
        "/w/debs", new string('b', 64), copy, "misc", "optional",
        [new BinaryControl("hello", ["any"], "deb", 9), new BinaryControl("hello-doc", ["all"], "deb", 14)]);

    [Fact]
    public async Task Build_dep_origins_declared_binaries_and_the_copy_source_survive_the_plan_on_disk()
    {
        var plan = Plan(new CopySource(12, "dev", 40, "sha256:" + new string('d', 64),
            [new AuditBuildDependency("zlib1g-dev", "1:1.2.13.dfsg-1", "mirror", new string('1', 64))]));

        await plan.SaveAsync(_dir, CancellationToken.None);
        var back = await BuildPlan.LoadAsync(_dir, CancellationToken.None);

        Assert.NotNull(back);
        Assert.Equal(plan.BuildDeps, back.BuildDeps);
        Assert.Equal(plan.DeclaredBinaries.Select(b => (b.Package, string.Join(' ', b.Architectures), b.PackageType, b.Line)),
            back.DeclaredBinaries.Select(b => (b.Package, string.Join(' ', b.Architectures), b.PackageType, b.Line)));
        Assert.Equal((12L, "dev", 40L), (back.Copy!.BuildId, back.Copy.Pocket, back.Copy.EndSeq));
        Assert.Equal(plan.Copy!.BuildDeps, back.Copy.BuildDeps);
    }

    [Fact]
    public async Task A_plan_written_by_an_older_builderd_is_not_resumed()
    {
        // The shape builderd wrote before plan format 2: build-deps without "origin", no declared binaries, no "format".
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

        Assert.Null(await BuildPlan.LoadAsync(_dir, CancellationToken.None));
        Assert.True(BuildPlan.ExistsIn(_dir));
    }
}
