using System.Text;
using Builder.Tests.Common;
using Builder.Vm.Output;

namespace Builder.Vm.Tests.Output;

/// <summary>
/// What a rooted guest can put into tar metadata (PAX and GNU long-name headers, type flags, size and checksum
/// fields): each is refused with the entry and the rule named, within bounded memory, and the directory stays empty.
/// </summary>
public sealed class TarMetadataTests : IDisposable
{
    private static readonly OutputLimits Limits = new(MaxFileSize: 1 << 20, MaxTotalSize: 4 << 20, MaxEntries: 64, MaxMetadata: 64 << 10, DiskSize: 16 << 20);
    private readonly string _root = TestEnvironment.NewTempDirectory("tar-meta");

    private string Destination => Path.Combine(_root, "artifacts");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Rejection(Stream tar, OutputLimits? limits = null)
    {
        var e = Assert.Throws<OutputRejectedException>(() => OutputExtractor.Extract(tar, Destination, limits ?? Limits));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Destination));
        return e.Message;
    }

    private string Rejection(byte[] tar, OutputLimits? limits = null) => Rejection(new MemoryStream(tar), limits);

    [Fact]
    public void A_300_MiB_PAX_header_is_refused_at_the_metadata_cap_before_any_of_it_is_read()
    {
        var head = new TarBuilder().File("ok.log", "fine").Header("PaxHeaders/huge", 'x', 300L << 20).Unterminated();
        using var tar = new LazyTarStream(head, head.Length + (300L << 20) + 1024);
        using var hits = new LimitHitsListener();
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var message = Rejection(tar, Limits with { DiskSize = 1L << 30 });

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal($"output tar entry 2: a PAX extended header of {300L << 20} bytes: the tar's metadata exceeds Vm:MaxTarMetadata (65536 bytes)", message);
        Assert.True(allocated < 2 << 20, $"the extractor allocated {allocated} bytes");
        Assert.True(tar.Consumed <= head.Length, $"read {tar.Consumed} bytes past a {head.Length}-byte head");
        Assert.True(hits.Hits("Vm:MaxTarMetadata") >= 1);
    }

    [Fact]
    public void A_long_name_bomb_is_refused_at_the_metadata_cap()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 5000; i++)
        {
            builder.LongName($"{i:D5}" + new string('n', 140) + ".log").Header("short.log", '0', 0);
        }
        using var hits = new LimitHitsListener();

        var message = Rejection(builder.End(), Limits with { MaxEntries = 10_000 });

        // Each long name (a valid artifact name) costs its header block and one data block: the 65th goes past 64 KiB.
        Assert.Equal("output tar entry 65: a GNU long name of 150 bytes: the tar's metadata exceeds Vm:MaxTarMetadata (65536 bytes)", message);
        Assert.True(hits.Hits("Vm:MaxTarMetadata") >= 1);
    }

    [Fact]
    public void Zero_size_metadata_headers_still_count_their_blocks()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 200; i++)
        {
            builder.Meta('g', []);
        }

        Assert.Equal("output tar entry 1: a PAX global header of 0 bytes: the tar's metadata exceeds Vm:MaxTarMetadata (65536 bytes)",
            Rejection(builder.End()));
    }

    [Theory]
    [InlineData('S', "GNU sparse file (type 'S')")]
    [InlineData('M', "GNU multi-volume continuation (type 'M')")]
    [InlineData('V', "GNU volume label (type 'V')")]
    [InlineData('7', "contiguous file (type '7')")]
    [InlineData('D', "GNU directory dump (type 'D')")]
    [InlineData('N', "GNU old long name (type 'N')")]
    [InlineData('Z', "entry of type 'Z'")]
    [InlineData('\u00e9', "entry of type 0xe9")]
    public void An_entry_type_the_output_format_does_not_use_is_refused_by_name(char type, string described)
    {
        var message = Rejection(new TarBuilder().File("a.log", "x").Header("odd.deb", type, 1024).Raw(new byte[1024]).End());

        Assert.Equal($"output tar entry 2 'odd.deb': is a {described}, only regular files are accepted", message);
    }

    [Fact]
    public void A_sparse_entry_named_by_PAX_and_GNU_metadata_is_refused_under_that_name()
    {
        Assert.Equal("output tar entry 1 'from-pax.deb': is a GNU sparse file (type 'S'), only regular files are accepted",
            Rejection(new TarBuilder().Pax(("path", "from-pax.deb")).Header("ignored", 'S', 0).End()));
        Assert.Equal("output tar entry 1 'from-gnu.deb': is a GNU sparse file (type 'S'), only regular files are accepted",
            Rejection(new TarBuilder().LongName("from-gnu.deb").Header("ignored", 'S', 0).End()));
    }

    [Fact]
    public void A_PAX_size_beyond_any_array_is_refused_naming_the_entry()
    {
        Assert.Equal("output tar entry 1 'big.deb': PAX size 99999999999999999 is above 2^40 bytes",
            Rejection(new TarBuilder().Pax(("path", "big.deb"), ("size", "99999999999999999")).Header("big.deb", '0', 0).End()));
        Assert.Equal("output tar entry 1 'big.deb': 3000000000 bytes exceeds the output disk of 16777216 bytes",
            Rejection(new TarBuilder().Pax(("size", "3000000000")).Header("big.deb", '0', 0).End()));
        Assert.Equal("output tar entry 1 'big.deb': PAX size '12x' is not a decimal number",
            Rejection(new TarBuilder().Pax(("size", "12x")).Header("big.deb", '0', 0).End()));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, "size field (base-256) is above 2^40 bytes")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe }, "size field (base-256) is negative")]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0 }, "33554432 bytes exceeds the output disk of 16777216 bytes")]
    [InlineData(new byte[] { (byte)'1', (byte)'2', (byte)'9', 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "size field '129' is not octal")]
    [InlineData(new byte[] { (byte)'7', (byte)'7', (byte)'7', (byte)'7', (byte)'7', (byte)'7', (byte)'7', (byte)'7', (byte)'7', (byte)'7', (byte)'7', 0 },
        "8589934591 bytes exceeds the output disk of 16777216 bytes")]
    public void A_size_field_above_the_bounds_or_malformed_is_refused(byte[] field, string problem)
    {
        var tar = new TarBuilder().Header("s.deb", '0', 0, edit: b => field.CopyTo(b, 124)).End();

        Assert.Equal($"output tar entry 1 's.deb': {problem}", Rejection(tar));
    }

    [Fact]
    public void A_header_with_a_wrong_checksum_is_refused()
    {
        var tar = new TarBuilder().File("a.log", "x").Header("b.log", '0', 0, edit: b => Encoding.ASCII.GetBytes("0001234\0").CopyTo(b, 148), fixChecksum: false).End();

        Assert.Matches(@"^output tar entry 2 'b\.log': header checksum 668 does not match the header's sum [0-9]+$", Rejection(tar));
        var garbage = new TarBuilder().Header("c.log", '0', 0, edit: b => Encoding.ASCII.GetBytes("12a4\0   ").CopyTo(b, 148), fixChecksum: false).End();
        Assert.Equal("output tar entry 1 'c.log': checksum field '12a4' is not octal", Rejection(garbage));
    }

    [Theory]
    [InlineData("abc path=x\n", "record 1: length 'abc' is not a decimal number")]
    [InlineData("99 path=x\n", "record 1: length 99 runs past the header's 10 bytes")]
    [InlineData("11 pathxyz\n", "record 1: has no '=' after its key")]
    [InlineData("9 =empty\n", "record 1: has an empty key")]
    [InlineData("11 path=ab", "record 1: length 11 runs past the header's 10 bytes")]
    [InlineData("11 path=abc", "record 1: does not end in a newline")]
    [InlineData("14 path=x.deb\n3 a\n", "record 2: length 3 is too short for 'key=value'")]
    [InlineData("0 \n", "record 1: length 0 is too short for 'key=value'")]
    public void A_PAX_header_with_a_bad_record_is_refused_naming_the_record(string records, string problem)
    {
        var tar = new TarBuilder().Meta('x', Encoding.UTF8.GetBytes(records), "PaxHeaders/x").Header("p.deb", '0', 0).End();

        Assert.Equal($"output tar entry 1: PAX extended header {problem}", Rejection(tar));
    }

    [Fact]
    public void A_header_the_tar_reader_itself_cannot_parse_is_rejected_naming_the_entry()
    {
        var tar = new TarBuilder().Header("m.deb", '0', 0, edit: b => Encoding.ASCII.GetBytes("zzzzzzz\0").CopyTo(b, 100)).End();

        Assert.StartsWith("output tar entry 1 'm.deb': malformed header: ", Rejection(tar), StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_or_mixed_metadata_and_metadata_with_no_entry_are_refused()
    {
        Assert.Equal("output tar entry 1: a second GNU long name before the entry it belongs to",
            Rejection(new TarBuilder().LongName("a.deb").LongName("b.deb").Header("c.deb", '0', 0).End()));
        Assert.Equal("output tar entry 1: a GNU long name after a PAX extended header: an entry has PAX or GNU metadata, not both",
            Rejection(new TarBuilder().Pax(("path", "a.deb")).LongName("b.deb").Header("c.deb", '0', 0).End()));
        Assert.Equal("output tar entry 2: a PAX extended header with no entry after it",
            Rejection(new TarBuilder().File("a.log", "x").Pax(("path", "b.deb")).End()));
        Assert.Equal("output tar entry 1: a GNU long name is truncated (512 of 4010 bytes present)",
            Rejection(new TarBuilder().LongName(new string('n', 4005) + ".deb").Unterminated()[..1024]));
    }

    [Fact]
    public void Well_formed_PAX_and_GNU_metadata_within_the_cap_is_accepted()
    {
        var tar = new TarBuilder()
            .Meta('g', Encoding.UTF8.GetBytes(TarBuilder.PaxRecord("comment", "global"))).Pax(("path", "from-pax.log"), ("mtime", "1700000000.5"))
            .Header("ignored", '0', 3).Raw(Encoding.ASCII.GetBytes("abc")).Raw(new byte[509])
            .LongName(new string('l', 150) + ".log").File("short.log", "long")
            .File("exit-status", "0\n").End();

        var output = OutputExtractor.Extract(new MemoryStream(tar), Destination, Limits);

        Assert.Equal(["from-pax.log", new string('l', 150) + ".log"], output.Artifacts.Select(a => a.Name));
        Assert.Equal(0, output.ExitStatus);
    }
}
