using Builder.Core.Audit;
using Builder.Core.Pockets;
using Builder.Daemon.Pipeline.Copies;

namespace Builder.Daemon.Tests.Pipeline.Copies;

public sealed class CopyPolicyTests
{
    private const string Image = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Sha = "2222222222222222222222222222222222222222222222222222222222222222";

    private static PocketOptions Prod(string[]? copyFrom = null, string[]? buildDepsFrom = null)
    {
        var o = new PocketOptions { Branch = "main" };
        foreach (var p in copyFrom ?? [])
        {
            o.CopyFrom.Add(p);
        }
        foreach (var p in buildDepsFrom ?? [])
        {
            o.BuildDepsFrom.Add(p);
        }
        return o;
    }

    private static AuditRecord End(long build, AuditResult result = AuditResult.Succeeded, int format = AuditRecordFormat.CurrentVersion,
        string image = Image, params (string Name, string Origin)[] deps) => new()
    {
        FormatVersion = format,
        Seq = 40,
        Prev = "sha256:" + new string('3', 64),
        Event = AuditEvent.BuildEnd,
        Build = build,
        Pocket = "dev",
        Package = "hello",
        Requester = "alice",
        Key = "SHA256:abc",
        Acl = "sha256:" + new string('4', 64),
        Image = image,
        Host = "builder",
        Time = DateTimeOffset.UnixEpoch,
        BuildDeps = [.. deps.Select(d => format == 1 ? new AuditBuildDependency(d.Name, "1.0") : new AuditBuildDependency(d.Name, "1.0", d.Origin, Sha))],
        Request = "r",
        Signature = "s",
        Result = result,
        FailedStage = result == AuditResult.Failed ? "building" : "",
    };

    private static CopyCandidate Candidate(long build, string pocket, AuditRecord? end) => new(build, pocket, "1.0", end is null ? null : 40, end);

    [Fact]
    public void A_pocket_with_an_empty_CopyFrom_copies_nothing_and_says_so()
    {
        var decision = CopyPolicy.Decide("prod", Prod(), [Candidate(12, "dev", End(12))]);

        Assert.Null(decision.Source);
        Assert.Equal(["build 12 in dev: prod copies from no pocket (Pockets:prod:CopyFrom is empty)"], decision.Refusals);
    }

    [Fact]
    public void A_build_in_a_pocket_not_named_in_CopyFrom_is_not_copied()
    {
        var decision = CopyPolicy.Decide("prod", Prod(copyFrom: ["staging"]), [Candidate(12, "dev", End(12))]);

        Assert.Null(decision.Source);
        Assert.Equal(["build 12 in dev: dev is not in Pockets:prod:CopyFrom"], decision.Refusals);
    }

    [Fact]
    public void A_build_whose_build_deps_came_only_from_the_mirror_is_copied_with_its_record_facts()
    {
        var decision = CopyPolicy.Decide("prod", Prod(copyFrom: ["dev"]), [Candidate(12, "dev", End(12, deps: ("zlib1g-dev", "mirror")))]);

        var source = Assert.IsType<CopySource>(decision.Source);
        Assert.Equal((12L, "dev", 40L, Image), (source.BuildId, source.Pocket, source.EndSeq, source.Image));
        Assert.Equal("mirror", Assert.Single(source.BuildDeps).Origin);
        Assert.Empty(decision.Refusals);
    }

    [Fact]
    public void A_build_that_took_build_deps_from_its_own_pocket_is_not_copied_naming_them()
    {
        var decision = CopyPolicy.Decide("prod", Prod(copyFrom: ["dev"]),
            [Candidate(12, "dev", End(12, deps: [("zlib1g-dev", "pocket:dev"), ("libfoo", "mirror")]))]);

        Assert.Null(decision.Source);
        Assert.Equal(["build 12 in dev: it took build-deps from sources prod does not trust: zlib1g-dev=1.0 (pocket:dev)"], decision.Refusals);
    }

    [Fact]
    public void Build_deps_from_the_target_pocket_itself_and_from_its_BuildDepsFrom_are_trusted()
    {
        var decision = CopyPolicy.Decide("prod", Prod(copyFrom: ["dev"], buildDepsFrom: ["base"]),
            [Candidate(12, "dev", End(12, deps: [("a", "pocket:prod"), ("b", "pocket:base"), ("c", "mirror")]))]);

        Assert.Equal(12, decision.Source?.BuildId);
    }

    [Fact]
    public void A_candidate_without_a_succeeded_build_end_record_or_with_format_1_origins_is_not_copied()
    {
        var decision = CopyPolicy.Decide("prod", Prod(copyFrom: ["dev", "qa", "old", "bare"]),
        [
            Candidate(12, "dev", null),
            Candidate(13, "qa", End(13, AuditResult.Failed)),
            Candidate(14, "old", End(14, format: 1, deps: ("zlib1g-dev", "mirror"))),
            Candidate(15, "bare", End(15, image: "")),
        ]);

        Assert.Null(decision.Source);
        Assert.Equal(
        [
            "build 12 in dev: the audit chain has no succeeded build-end record for it",
            "build 13 in qa: the audit chain has no succeeded build-end record for it",
            "build 14 in old: its build-end record (seq 40, format 1) does not say where its build-deps came from",
            "build 15 in bare: its build-end record (seq 40) names no VM image",
        ], decision.Refusals);
    }

    [Fact]
    public void The_first_acceptable_candidate_is_taken_after_the_refused_ones()
    {
        var decision = CopyPolicy.Decide("prod", Prod(copyFrom: ["dev", "qa"]),
            [Candidate(20, "dev", End(20, deps: ("x", "pocket:dev"))), Candidate(19, "qa", End(19, deps: ("x", "mirror")))]);

        Assert.Equal(19, decision.Source?.BuildId);
        Assert.Single(decision.Refusals);
    }

    [Fact]
    public void A_long_list_of_untrusted_build_deps_names_ten_and_counts_the_rest()
    {
        var deps = Enumerable.Range(1, 13).Select(i => ($"p{i}", "pocket:dev")).ToArray();
        var decision = CopyPolicy.Decide("prod", Prod(copyFrom: ["dev"]), [Candidate(12, "dev", End(12, deps: deps))]);

        Assert.EndsWith("p10=1.0 (pocket:dev) and 3 more", Assert.Single(decision.Refusals), StringComparison.Ordinal);
    }
}
