using System.Text;
using Builder.Tests.Common;
using Builder.Vm.Output;

namespace Builder.Vm.Tests.Output;

public sealed class OutputExtractorTests : IDisposable
{
    private static readonly OutputLimits Limits = new(MaxFileSize: 1 << 20, MaxTotalSize: 4 << 20, MaxEntries: 64, MaxMetadata: 64 << 10, DiskSize: 4L << 30);
    private readonly string _root = TestEnvironment.NewTempDirectory("extract");

    private string Destination => Path.Combine(_root, "build", "artifacts");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ExtractedOutput Extract(byte[] tar, OutputLimits? limits = null) =>
        OutputExtractor.Extract(new MemoryStream(tar), Destination, limits ?? Limits);

    private string Rejection(byte[] tar, OutputLimits? limits = null)
    {
        var e = Assert.Throws<OutputRejectedException>(() => Extract(tar, limits));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Destination));
        Assert.Equal([Path.Combine(_root, "build")], Directory.EnumerateFileSystemEntries(_root));
        return e.Message;
    }

    private static byte[] ValidOutput(out byte[] deb)
    {
        deb = Encoding.ASCII.GetBytes("!<arch>\nnot really a deb, but bytes with a hash\n");
        var buildinfo = Encoding.ASCII.GetBytes("Format: 1.0\n");
        var changes = TarBuilder.Changes(("builder-hello_1.0_amd64.deb", deb), ("builder-hello_1.0_amd64.buildinfo", buildinfo));
        return new TarBuilder()
            .File("builder-hello_1.0_amd64.deb", deb)
            .File("builder-hello_1.0_amd64.buildinfo", buildinfo)
            .File("builder-hello_1.0_amd64.changes", changes)
            .File("build.log", "dpkg-buildpackage: info: binary-only upload\n")
            .File("exit-status", "0\n")
            .End();
    }

    [Fact]
    public void A_valid_output_is_extracted_with_sizes_hashes_and_the_exit_status()
    {
        var output = Extract(ValidOutput(out var deb));

        Assert.Equal(0, output.ExitStatus);
        Assert.Equal(
            ["build.log", "builder-hello_1.0_amd64.buildinfo", "builder-hello_1.0_amd64.changes", "builder-hello_1.0_amd64.deb"],
            output.Artifacts.Select(a => a.Name).Order(StringComparer.Ordinal));
        var debArtifact = output.Artifacts.Single(a => a.Name.EndsWith(".deb", StringComparison.Ordinal));
        Assert.Equal(deb, File.ReadAllBytes(debArtifact.Path));
        Assert.Equal(deb.Length, debArtifact.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(deb)), debArtifact.Sha256);
        Assert.False(File.Exists(Path.Combine(Destination, "exit-status")));
    }

    [Fact]
    public void A_tar_made_by_the_standard_library_writer_is_accepted()
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(stream, System.Formats.Tar.TarEntryFormat.Gnu, leaveOpen: true))
        {
            writer.WriteEntry(new System.Formats.Tar.GnuTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "exit-status")
            {
                DataStream = new MemoryStream("2\n"u8.ToArray()),
            });
            writer.WriteEntry(new System.Formats.Tar.GnuTarEntry(System.Formats.Tar.TarEntryType.RegularFile, new string('a', 150) + ".log")
            {
                DataStream = new MemoryStream("long names use GNU long-name entries\n"u8.ToArray()),
            });
        }

        var output = Extract(stream.ToArray());

        Assert.Equal(2, output.ExitStatus);
        Assert.Single(output.Artifacts);
    }

    [Theory]
    [InlineData("../x.deb", "is a path, not a plain file name")]
    [InlineData("x..deb", "contains '..'")]
    [InlineData("/tmp/absolute.deb", "is a path, not a plain file name")]
    [InlineData("sub/dir.deb", "is a path, not a plain file name")]
    [InlineData(".hidden.deb", "starts with a dot")]
    [InlineData("script.sh", "does not end in an allowed suffix")]
    [InlineData("evil\u001b[2J.deb", "has characters outside")]
    [InlineData("a b.deb", "has characters outside")]
    public void An_entry_with_a_bad_name_is_rejected_naming_it(string name, string problem)
    {
        var message = Rejection(new TarBuilder().File(name, "x").End());

        Assert.StartsWith("output tar entry 1 '", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('2', "symbolic link")]
    [InlineData('1', "hard link")]
    [InlineData('3', "character device")]
    [InlineData('4', "block device")]
    [InlineData('5', "directory")]
    [InlineData('6', "FIFO")]
    public void A_non_regular_entry_is_rejected_naming_its_type(char type, string described)
    {
        var message = Rejection(new TarBuilder().Header("x.deb", type, 0, link: type is '1' or '2' ? "/etc/shadow" : "", major: 1, minor: 3).End());

        Assert.Equal($"output tar entry 1 'x.deb': is a {described}, only regular files are accepted", message);
    }

    [Fact]
    public void A_2_GiB_header_is_rejected_at_the_cap_without_reading_data()
    {
        var tar = new TarBuilder().File("ok.log", "fine").Header("huge.deb", '0', 2L << 30).Raw(new byte[4096]).Unterminated();

        var message = Rejection(tar);

        Assert.Equal($"output tar entry 2 'huge.deb': {2L << 30} bytes exceeds the per-file cap of {1 << 20} bytes", message);
    }

    [Fact]
    public void The_total_size_cap_applies_across_entries()
    {
        var chunk = new byte[600_000];
        var tar = new TarBuilder().File("a.deb", chunk).File("b.deb", chunk).File("c.deb", chunk).End();

        var message = Rejection(tar, Limits with { MaxTotalSize = 1_000_000 });

        Assert.Equal("output tar entry 2 'b.deb': the output exceeds the total cap of 1000000 bytes", message);
    }

    [Fact]
    public void A_100000_entry_tar_is_rejected_at_the_entry_cap()
    {
        var builder = new TarBuilder();
        for (var i = 1; i <= 100_000; i++)
        {
            builder.Header($"f{i:D6}.deb", '0', 0);
        }

        var message = Rejection(builder.End());

        Assert.Equal("output tar: more than 64 entries (entry 65 is 'f000065.deb')", message);
    }

    [Fact]
    public void A_stream_truncated_inside_file_data_is_rejected()
    {
        var full = new TarBuilder().File("a.deb", new byte[5000]).End();

        var message = Rejection(full[..2048]);

        Assert.Contains("'a.deb'", message, StringComparison.Ordinal);
        Assert.Contains("truncated", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_truncated_inside_a_header_is_rejected()
    {
        var full = new TarBuilder().File("a.log", "x").File("b.log", "y").End();

        var message = Rejection(full[..(1024 + 100)]);

        Assert.StartsWith("output tar: header after entry 1 is truncated or malformed", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_name_is_rejected()
    {
        Assert.Equal("output tar entry 2 'a.log': appears twice", Rejection(new TarBuilder().File("a.log", "1").File("a.log", "2").End()));
    }

    [Fact]
    public void A_changes_file_with_a_wrong_checksum_is_rejected_naming_file_and_line()
    {
        var deb = "real bytes"u8.ToArray();
        var changes = TarBuilder.Changes(("p_1_amd64.deb", "other bytes"u8.ToArray()));
        changes = changes.Replace($" {"other bytes".Length} ", $" {deb.Length} ", StringComparison.Ordinal);

        var message = Rejection(new TarBuilder().File("p_1_amd64.deb", deb).File("p_1_amd64.changes", changes).End());

        Assert.StartsWith("p_1_amd64.changes line 5: p_1_amd64.deb: sha256 is ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changes_file_with_a_wrong_size_is_rejected()
    {
        var deb = "real bytes"u8.ToArray();
        var changes = TarBuilder.Changes(("p_1_amd64.deb", deb)).Replace(" 10 p_1", " 11 p_1", StringComparison.Ordinal);

        var message = Rejection(new TarBuilder().File("p_1_amd64.deb", deb).File("p_1_amd64.changes", changes).End());

        Assert.Equal("p_1_amd64.changes line 5: p_1_amd64.deb: size is 10 bytes, the .changes says 11", message);
    }

    [Fact]
    public void A_changes_file_listing_a_missing_file_is_rejected()
    {
        var changes = TarBuilder.Changes(("p_1_amd64.deb", "x"u8.ToArray()));

        var message = Rejection(new TarBuilder().File("p_1_amd64.changes", changes).End());

        Assert.Equal("p_1_amd64.changes line 5: p_1_amd64.deb is listed but not in the output", message);
    }

    [Fact]
    public void A_changes_file_listing_a_path_is_rejected()
    {
        var changes = "Checksums-Sha256:\n 00 1 ../../etc/passwd\n";

        var message = Rejection(new TarBuilder().File("p_1_amd64.changes", changes).End());

        Assert.Equal("p_1_amd64.changes line 2: file '../../etc/passwd' is a path, not a plain file name", message);
    }

    [Theory]
    [InlineData("x\n")]
    [InlineData("256\n")]
    [InlineData("")]
    [InlineData("1234567890123456789")]
    public void A_malformed_exit_status_is_rejected(string status)
    {
        var message = Rejection(new TarBuilder().File("exit-status", status).End());

        Assert.StartsWith("output tar entry 1 'exit-status': ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_and_truncated_tars_never_escape_crash_or_hang()
    {
        var valid = ValidOutput(out _);
        var random = new Random(20261123);
        for (var i = 0; i < 3000; i++)
        {
            var tar = (byte[])valid.Clone();
            if (i % 3 == 0)
            {
                tar = tar[..random.Next(tar.Length)];
            }
            for (var flips = random.Next(1, 12); flips > 0; flips--)
            {
                var at = random.Next(Math.Max(1, tar.Length));
                if (tar.Length > 0)
                {
                    tar[at] = i % 2 == 0 ? (byte)random.Next(256) : (byte)"/.01257\0 "[random.Next(9)];
                }
            }
            var destination = Path.Combine(_root, "fuzz", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                var output = OutputExtractor.Extract(new MemoryStream(tar), destination, Limits);
                Assert.All(output.Artifacts, a => Assert.Equal(destination, Path.GetDirectoryName(a.Path)));
            }
            catch (OutputRejectedException)
            {
                Assert.Empty(Directory.EnumerateFileSystemEntries(destination));
            }
            Directory.Delete(destination, recursive: true);
        }
        Assert.Equal([Path.Combine(_root, "fuzz")], Directory.EnumerateFileSystemEntries(_root));
    }
}
