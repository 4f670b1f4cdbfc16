using System.Text;
using Builder.Core.Provenance;
using Builder.Tests.Common.Provenance;

namespace Builder.Core.Tests.Provenance;

public sealed class ProvenanceSubjectsTests
{
    private static readonly byte[] Deb = "the deb"u8.ToArray();
    private static readonly byte[] Dsc = "the dsc"u8.ToArray();

    private static readonly byte[] Statement = ProvenanceStatement.ToJson(
        ProvenanceSamples.Facts(("hello_2.10-3_amd64.deb", Deb), ("hello_2.10-3.dsc", Dsc)));

    private static ProvenanceFile File(string name, byte[] content) => new(name, ProvenanceSamples.Sha256(content));

    [Fact]
    public void Files_that_are_subjects_with_their_digests_pass_and_the_subjects_are_listed()
    {
        var check = ProvenanceSubjects.Check(Statement, [File("hello_2.10-3_amd64.deb", Deb), File("hello_2.10-3.dsc", Dsc)]);

        Assert.True(check.Ok);
        Assert.Equal([File("hello_2.10-3_amd64.deb", Deb), File("hello_2.10-3.dsc", Dsc)], check.Subjects);
    }

    [Fact]
    public void A_changed_file_and_a_file_that_is_no_subject_are_both_reported_by_name()
    {
        var changed = "the deb, changed"u8.ToArray();

        var check = ProvenanceSubjects.Check(Statement, [File("hello_2.10-3_amd64.deb", changed), File("evil_1.0_amd64.deb", Deb), File("hello_2.10-3.dsc", Dsc)]);

        Assert.False(check.Ok);
        Assert.Equal(
            [
                $"hello_2.10-3_amd64.deb: sha256 {ProvenanceSamples.Sha256(changed)} is not the subject's {ProvenanceSamples.Sha256(Deb)}",
                "evil_1.0_amd64.deb is not a subject",
            ],
            check.Errors);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{}", "statement: '_type' is missing" },
        { "[1]", "statement: expected a JSON object" },
        { "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}", "statement: '_type' is not 'https://in-toto.io/Statement/v1'" },
        { Swap("\"https://slsa.dev/provenance/v1\"", "\"https://slsa.dev/provenance/v0.2\""), "statement: 'predicateType' is not 'https://slsa.dev/provenance/v1'" },
        { Swap("{\"_type\"", "{\"_type\":1,\"_type\""), "statement: '_type' is not 'https://in-toto.io/Statement/v1'" },
        { Swap("\"predicateType\"", "\"subject\":[],\"predicateType\""), "statement: member 'subject' appears twice" },
        { Swap("\"subject\":[", "\"subject\":[{\"name\":\"x.deb\",\"digest\":{}},"), "statement: subject 1 is not {\"name\": <file name>, \"digest\": {\"sha256\": <64 lowercase hex digits>}}" },
        { Swap("\"subject\":[", "\"subject\":[{\"name\":\"hello_2.10-3.dsc\",\"digest\":{\"sha256\":\"" + new string('a', 64) + "\"}},"), "statement: subject 3: hello_2.10-3.dsc is listed twice" },
        { Swap("{\"name\":\"hello_2.10-3_amd64.deb\",", "{\"name\":\"../hello_2.10-3_amd64.deb\","), "statement: subject 1 is not {\"name\": <file name>, \"digest\": {\"sha256\": <64 lowercase hex digits>}}" },
        { Swap("{\"name\":\"hello_2.10-3_amd64.deb\",", "{\"name\":\"hello_2.10-3_amd64.deb\",\"uri\":\"x\","), "statement: subject 1 is not {\"name\": <file name>, \"digest\": {\"sha256\": <64 lowercase hex digits>}}" },
        { Swap("\"sha256\":\"" + ProvenanceSamples.Sha256(Deb) + "\"", "\"sha256\":\"" + ProvenanceSamples.Sha256(Deb) + "\",\"sha512\":\"x\""), "statement: subject 1 is not {\"name\": <file name>, \"digest\": {\"sha256\": <64 lowercase hex digits>}}" },
        { Swap("\"sha256\":\"" + ProvenanceSamples.Sha256(Deb) + "\"", "\"sha256\":\"" + ProvenanceSamples.Sha256(Deb).ToUpperInvariant() + "\""), "statement: subject 1 is not {\"name\": <file name>, \"digest\": {\"sha256\": <64 lowercase hex digits>}}" },
        { Swap("{\"_type\"", "{\"extra\":{},\"_type\""), "statement: unknown member 'extra'" },
        { "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}", "statement: 'subject' is empty" },
        { "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}", "statement: 'subject' is missing" },
        { "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":[]}", "statement: 'predicate' must be an object" },
        { Encoding.UTF8.GetString(Statement) + " 1", "statement: not valid JSON at line 1, byte " + (Statement.Length + 2) },
        { Encoding.UTF8.GetString(Statement)[..100], "statement: not valid JSON at line 1, byte 101" },
    };

    private static string Swap(string from, string to)
    {
        var text = Encoding.UTF8.GetString(Statement);
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_statement_is_refused_with_the_exact_reason(string statement, string message)
    {
        var ex = Assert.Throws<ProvenanceException>(() => ProvenanceSubjects.Check(Encoding.UTF8.GetBytes(statement), []));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Every_truncation_of_a_statement_is_refused()
    {
        for (var length = 0; length < Statement.Length; length++)
        {
            Assert.Throws<ProvenanceException>(() => ProvenanceSubjects.Read(Statement.AsSpan(0, length)));
        }
        Assert.Equal(2, ProvenanceSubjects.Read(Statement).Count);
    }
}
