using System.Text;
using System.Text.Json;
using Builder.Core.Audit;
using Builder.Core.Provenance;
using Builder.Tests.Common.Provenance;

namespace Builder.Core.Tests.Provenance;

public sealed class ProvenanceStatementTests
{
    private static JsonElement Statement(ProvenanceFacts facts) => JsonDocument.Parse(ProvenanceStatement.ToJson(facts)).RootElement.Clone();

    [Fact]
    public void The_statement_is_an_in_toto_v1_statement_whose_subjects_are_the_published_files()
    {
        var s = Statement(ProvenanceSamples.Facts(("hello_2.10-3_amd64.deb", "deb"u8.ToArray()), ("hello_2.10-3.dsc", "dsc"u8.ToArray())));

        Assert.Equal(["_type", "subject", "predicateType", "predicate"], s.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://in-toto.io/Statement/v1", s.GetProperty("_type").GetString());
        Assert.Equal("https://slsa.dev/provenance/v1", s.GetProperty("predicateType").GetString());
        Assert.Equal(
            [("hello_2.10-3_amd64.deb", ProvenanceSamples.Sha256("deb"u8.ToArray())), ("hello_2.10-3.dsc", ProvenanceSamples.Sha256("dsc"u8.ToArray()))],
            s.GetProperty("subject").EnumerateArray().Select(e => (e.GetProperty("name").GetString(), e.GetProperty("digest").GetProperty("sha256").GetString())));
    }

    [Fact]
    public void The_build_definition_carries_the_request_and_every_resolved_dependency_with_its_digest()
    {
        var facts = ProvenanceSamples.Facts();
        var definition = Statement(facts).GetProperty("predicate").GetProperty("buildDefinition");
        var external = definition.GetProperty("externalParameters");
        var deps = definition.GetProperty("resolvedDependencies").EnumerateArray()
            .Select(d => $"{d.GetProperty("annotations").GetProperty("role").GetString()} {d.GetProperty("name").GetString()} {d.GetProperty("digest").GetProperty("sha256").GetString()![..4]}")
            .ToList();

        Assert.Equal("urn:builder:build-type:debian-package:v1", definition.GetProperty("buildType").GetString());
        Assert.Equal(("dev", "hello", new string('c', 40), "alice"), (external.GetProperty("pocket").GetString(), external.GetProperty("package").GetString(),
            external.GetProperty("commit").GetString(), external.GetProperty("requester").GetString()));
        Assert.Equal(facts.Request.Request, Encoding.UTF8.GetString(Convert.FromBase64String(external.GetProperty("request").GetString()!)));
        Assert.Equal(facts.Request.Signature, Encoding.UTF8.GetString(Convert.FromBase64String(external.GetProperty("signature").GetString()!)));
        Assert.Equal(["source hello_2.10-3.dsc 1111", "source hello_2.10.orig.tar.gz 2222", "build-dep debhelper-compat 3333",
            "build-dep libhello-dev 4444", "vm-image vm-image eeee"], deps);
        var libhello = definition.GetProperty("resolvedDependencies")[3].GetProperty("annotations");
        Assert.Equal(("2.9-1", "pocket:dev"), (libhello.GetProperty("version").GetString(), libhello.GetProperty("origin").GetString()));
        Assert.Equal(JsonValueKind.Null, definition.GetProperty("internalParameters").GetProperty("copyOf").ValueKind);
    }

    [Fact]
    public void The_run_details_name_the_host_and_image_and_the_build_attempt()
    {
        var run = Statement(ProvenanceSamples.Facts() with { BuildId = 42, Attempt = 3 }).GetProperty("predicate").GetProperty("runDetails");

        Assert.Equal("urn:builder:host:builder1.example.org:image:sha256:" + new string('e', 64), run.GetProperty("builder").GetProperty("id").GetString());
        var metadata = run.GetProperty("metadata");
        Assert.Equal("build/42/attempt/3", metadata.GetProperty("invocationId").GetString());
        Assert.Equal("2026-12-06T10:00:05Z", metadata.GetProperty("startedOn").GetString());
        Assert.Equal("2026-12-06T10:07:05Z", metadata.GetProperty("finishedOn").GetString());
    }

    [Fact]
    public void A_copy_names_the_build_it_copies()
    {
        var copy = Statement(ProvenanceSamples.Facts() with { CopyOf = new AuditCopySource(41, 6) })
            .GetProperty("predicate").GetProperty("buildDefinition").GetProperty("internalParameters").GetProperty("copyOf");

        Assert.Equal((41, 6), (copy.GetProperty("build").GetInt64(), copy.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public void The_same_facts_give_the_same_compact_bytes()
    {
        var a = ProvenanceStatement.ToJson(ProvenanceSamples.Facts());
        var b = ProvenanceStatement.ToJson(ProvenanceSamples.Facts());

        Assert.Equal(a, b);
        Assert.DoesNotContain((byte)'\n', a);
        Assert.StartsWith("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"hello_2.10-3_amd64.deb\"", Encoding.UTF8.GetString(a), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidFacts => new()
    {
        { "no-subjects", "provenance of build 42: 0 subjects, expected 1 to 1024" },
        { "subject-path", "provenance of build 42: subject '../x.deb' needs a file name and a 64-hex sha256" },
        { "subject-hash", "provenance of build 42: subject 'x.deb' needs a file name and a 64-hex sha256" },
        { "twice", "provenance of build 42: subject x.deb is listed twice" },
        { "dep-origin", "provenance of build 42: build-dep a=1 needs a name, version, origin and 64-hex sha256" },
        { "host", "provenance of build 42: host 'a b' is not a host name" },
        { "image", "provenance of build 42: the image sha256 is not 64 lowercase hex digits" },
    };

    [Theory]
    [MemberData(nameof(InvalidFacts))]
    public void Invalid_facts_are_refused_naming_the_fact(string fault, string message)
    {
        var good = new ProvenanceFile("x.deb", new string('a', 64));
        var facts = ProvenanceSamples.Facts();
        facts = fault switch
        {
            "no-subjects" => facts with { Subjects = [] },
            "subject-path" => facts with { Subjects = [good with { Name = "../x.deb" }] },
            "subject-hash" => facts with { Subjects = [good with { Sha256 = new string('A', 64) }] },
            "twice" => facts with { Subjects = [good, good] },
            "dep-origin" => facts with { BuildDeps = [new ProvenanceBuildDependency("a", "1", "elsewhere", new string('a', 64))] },
            "host" => facts with { Host = "a b" },
            "image" => facts with { ImageSha256 = "sha256:" + new string('a', 64) },
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        var ex = Assert.Throws<ArgumentException>(() => ProvenanceStatement.ToJson(facts));

        Assert.Equal(message + " (Parameter 'facts')", ex.Message);
    }
}
