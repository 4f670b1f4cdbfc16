using System.Text;
using System.Text.RegularExpressions;
using Builder.Tests.Common;
using Builder.Vm.Output;

namespace Builder.Vm.Tests.Output;

/// <summary>
/// Malformed headers by the thousand, seeded so a failure replays: whatever the bytes, the extractor either accepts or
/// throws <see cref="OutputRejectedException"/> naming the entry, leaves the directory empty, and allocates little.
/// </summary>
public sealed partial class TarMetadataFuzzTests : IDisposable
{
    private static readonly OutputLimits Limits = new(MaxFileSize: 1 << 20, MaxTotalSize: 4 << 20, MaxEntries: 64, MaxMetadata: 64 << 10, DiskSize: 16 << 20);
    private readonly string _root = TestEnvironment.NewTempDirectory("tar-fuzz");

    // Every rejection names where it happened: an entry by index (and name, when it has one), or the header after one.
    [GeneratedRegex(@"^output tar(: header after entry \d+ is truncated or malformed: | entry \d+(: | '.*': )|: more than \d+ entries)")]
    private static partial Regex Located();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static byte[] MetadataRichOutput() => new TarBuilder()
        .Meta('g', Encoding.UTF8.GetBytes(TarBuilder.PaxRecord("comment", "global")))
        .Pax(("path", "from-pax.log"), ("size", "3"), ("mtime", "1700000000.25"))
        .Header("ignored", '0', 3).Raw("abc"u8.ToArray()).Raw(new byte[509])
        .LongName(new string('l', 150) + ".log").File("short.log", "long")
        .Meta('K', Encoding.UTF8.GetBytes("link-target\0")).LongName("both.log").File("both.log", "x")
        .File("exit-status", "0\n").End();

    private string Outcome(byte[] tar, int i)
    {
        var destination = Path.Combine(_root, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var output = OutputExtractor.Extract(new MemoryStream(tar, writable: false), destination, Limits);
                Assert.All(output.Artifacts, a => Assert.Equal(destination, Path.GetDirectoryName(a.Path)));
                return "accepted";
            }
            catch (OutputRejectedException e)
            {
                Assert.Empty(Directory.EnumerateFileSystemEntries(destination));
                Assert.Matches(Located(), e.Message);
                return e.Message;
            }
            finally
            {
                // The input is at most a few KiB: far less than any announced size, whatever the headers say.
                Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 4 << 20, $"case {i} allocated too much");
            }
        }
        finally
        {
            Directory.Delete(destination, recursive: true);
        }
    }

    [Fact]
    public void The_metadata_rich_output_is_accepted_as_it_is()
    {
        Assert.Equal("accepted", Outcome(MetadataRichOutput(), 0));
    }

    [Fact]
    public void Mutated_metadata_headers_are_accepted_or_rejected_naming_the_entry_never_anything_else()
    {
        var valid = MetadataRichOutput();
        var random = new Random(20261203);
        var rejected = 0;
        for (var i = 0; i < 4000; i++)
        {
            var tar = (byte[])valid.Clone();
            // Aim at the headers and the metadata blocks (the first ten blocks), where the guard decides.
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                var at = random.Next(10 * 512);
                tar[at] = (i % 4) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)"0123456789 \0\n="[random.Next(14)],
                    2 => (byte)"xgLKS0MV7"[random.Next(9)],
                    _ => (byte)(0x80 | random.Next(256)),
                };
            }
            if (i % 5 == 0)
            {
                tar = tar[..random.Next(tar.Length)];
            }
            rejected += Outcome(tar, i) == "accepted" ? 0 : 1;
        }
        Assert.True(rejected > 3000, $"only {rejected} of 4000 mutated tars were rejected");
    }

    [Fact]
    public void Random_bytes_are_rejected_at_the_first_header_for_its_checksum()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var tar = new byte[512 * random.Next(1, 9)];
            random.NextBytes(tar);

            Assert.Matches(@"^output tar entry 1( '.*')?: (header checksum \d+ does not match the header's sum \d+|checksum field '.*' is not octal)$", Outcome(tar, i));
        }
    }

    [Fact]
    public void Every_truncation_of_a_metadata_rich_tar_is_rejected_naming_where()
    {
        var valid = MetadataRichOutput();
        // Cut at every block edge and inside blocks; the end markers alone may go (the reader takes end of stream for them).
        for (var cut = 1; cut < valid.Length - 1024; cut += 97)
        {
            Assert.NotEqual("accepted", Outcome(valid[..cut], cut));
        }
    }
}
