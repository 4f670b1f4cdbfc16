using Builder.Audit.Options;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Core.Provenance;
using Builder.Daemon.Apt;
using Builder.Daemon.Pipeline;
using Builder.Daemon.Pipeline.Copies;
using Builder.Daemon.Provenance;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Provenance;

namespace Builder.Daemon.Tests.Provenance;

public sealed class ProvenanceFactsBuilderTests : IDisposable
{
    private static readonly DateTimeOffset Started = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private readonly string _dir = TestEnvironment.NewTempDirectory("provenance-facts");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private readonly ProvenanceFactsBuilder _builder = new(Microsoft.Extensions.Options.Options.Create(new AuditOptions { HostName = "Builder1.Example.Org" }));

    private static readonly AuditArtifact[] Published =
        [new("hello_2.10-3.dsc", new string('a', 64)), new("hello_2.10-3_amd64.deb", new string('b', 64))];

    private static BuildRecord Build(int attempts = 2) => new(42, "dev", "hello", null, new string('c', 40), "2.10-3", "alice", "SHA256:" + new string('Q', 43),
        "sha256:" + new string('a', 64), "builder-request 1\n", "-----BEGIN SSH SIGNATURE-----\n", BuildState.Publishing, null, null, attempts, null,
        Started, Started, Started, null);

    private BuildPlan Plan(CopySource? copy = null)
    {
        var dsc = Path.Combine(_dir, "hello_2.10-3.dsc");
        var orig = Path.Combine(_dir, "hello_2.10.orig.tar.gz");
        File.WriteAllText(dsc, "Format: 3.0 (quilt)\n");
        File.WriteAllBytes(orig, [0x1f, 0x8b, 0x08]);
        return new BuildPlan(new string('c', 40), "2.10-3", null, dsc, [dsc, orig],
            [new ResolvedDependency("debhelper-compat", "13", "all", "debhelper_13_all.deb", 10, new string('3', 64), "mirror")],
            Path.Combine(_dir, "debs"), new string('e', 64), copy, "devel", "optional", []);
    }

    [Fact]
    public async Task A_build_gets_its_published_files_as_subjects_and_its_sources_hashed()
    {
        var facts = await _builder.BuildAsync(Plan(), Build(), Published, Started, Started.AddMinutes(5), CancellationToken.None);

        Assert.Equal([new ProvenanceFile("hello_2.10-3.dsc", new string('a', 64)), new ProvenanceFile("hello_2.10-3_amd64.deb", new string('b', 64))], facts.Subjects);
        Assert.Equal(
            [
                new ProvenanceFile("hello_2.10-3.dsc", ProvenanceSamples.Sha256("Format: 3.0 (quilt)\n"u8.ToArray())),
                new ProvenanceFile("hello_2.10.orig.tar.gz", ProvenanceSamples.Sha256([0x1f, 0x8b, 0x08])),
            ],
            facts.SourceFiles);
        Assert.Equal([new ProvenanceBuildDependency("debhelper-compat", "13", "mirror", new string('3', 64))], facts.BuildDeps);
        Assert.Equal(("builder1.example.org", new string('e', 64), (AuditCopySource?)null), (facts.Host, facts.ImageSha256, facts.CopyOf));
        Assert.Equal(new ProvenanceRequest("dev", "hello", new string('c', 40), "alice", "builder-request 1\n", "-----BEGIN SSH SIGNATURE-----\n"), facts.Request);
        Assert.Equal((42L, 2, Started, Started.AddMinutes(5)), (facts.BuildId, facts.Attempt, facts.StartedOn, facts.FinishedOn));
        Assert.NotEmpty(ProvenanceStatement.ToJson(facts));
    }

    [Fact]
    public async Task A_copy_names_the_copied_builds_image_and_build_deps_and_the_copy_source()
    {
        var copy = new CopySource(41, "dev", 6, "sha256:" + new string('f', 64),
            [new AuditBuildDependency("gcc", "4:12.2.0-3", "pocket:dev", new string('9', 64))]);

        var facts = await _builder.BuildAsync(Plan(copy), Build(), Published, Started, Started, CancellationToken.None);

        Assert.Equal(new string('f', 64), facts.ImageSha256);
        Assert.Equal([new ProvenanceBuildDependency("gcc", "4:12.2.0-3", "pocket:dev", new string('9', 64))], facts.BuildDeps);
        Assert.Equal(new AuditCopySource(41, 6), facts.CopyOf);
    }

    [Fact]
    public async Task A_copy_source_without_origins_is_not_turned_into_provenance()
    {
        var copy = new CopySource(41, "dev", 6, "sha256:" + new string('f', 64), [new AuditBuildDependency("gcc", "4:12.2.0-3")]);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _builder.BuildAsync(Plan(copy), Build(), Published, Started, Started, CancellationToken.None));

        Assert.Equal("provenance of build 42: build-dep gcc=4:12.2.0-3 has no origin or sha256", ex.Message);
    }

    [Fact]
    public async Task A_missing_source_file_fails()
    {
        var plan = Plan() with { SourceFiles = [Path.Combine(_dir, "gone.dsc")] };

        await Assert.ThrowsAsync<FileNotFoundException>(() => _builder.BuildAsync(plan, Build(), Published, Started, Started, CancellationToken.None));
    }
}
