using System.Text;
using Builder.Farm.Records;

namespace Builder.Farm.Tests.Records;

public sealed class CompileJobDigestTests
{
    private static readonly CompileJobRecord Sample = new(42, 1, new DateTimeOffset(2026, 11, 23, 8, 1, 2, 345, TimeSpan.Zero), 17, 12,
        CompileOutcomes.Compiled, "x86_64-linux-gnu-gcc-12", ["x86_64-linux-gnu-gcc-12", "-c", "-o", "a.o", "a.c"],
        new string('a', 64), new string('b', 64), "127.0.0.1:3632", 1, 0, null);

    [Fact]
    public void The_canonical_line_has_a_fixed_form()
    {
        Assert.Equal(
            "{\"build\":42,\"seq\":1,\"started\":\"2026-11-23T08:01:02.345Z\",\"ms\":17,\"farm_ms\":12,\"outcome\":\"compiled\"," +
            "\"compiler\":\"x86_64-linux-gnu-gcc-12\",\"argv\":[\"x86_64-linux-gnu-gcc-12\",\"-c\",\"-o\",\"a.o\",\"a.c\"]," +
            $"\"input_sha256\":\"{new string('a', 64)}\",\"output_sha256\":\"{new string('b', 64)}\",\"host\":\"127.0.0.1:3632\"," +
            "\"attempts\":1,\"status\":0,\"reason\":null}\n",
            Encoding.UTF8.GetString(CompileJobDigest.Line(Sample)));
    }

    [Fact]
    public void The_digest_depends_on_order_and_on_every_field()
    {
        var second = Sample with { Seq = 2, Outcome = CompileOutcomes.Refused, Reason = "no" };
        var digest = CompileJobDigest.Of([Sample, second]);

        Assert.NotEqual(digest, CompileJobDigest.Of([second, Sample]));
        Assert.NotEqual(digest, CompileJobDigest.Of([Sample, second with { Reason = "nO" }]));
        Assert.NotEqual(digest, CompileJobDigest.Of([Sample with { Argv = ["x86_64-linux-gnu-gcc-12", "-c", "-o", "a.o", "b.c"] }, second]));
        Assert.Equal(digest, CompileJobDigest.Of([Sample, second with { }]));
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", CompileJobDigest.Of([]));
    }
}
