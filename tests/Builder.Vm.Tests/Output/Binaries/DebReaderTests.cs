using System.Diagnostics;
using System.Text;
using Builder.Tests.Common;
using Builder.Vm.Output.Binaries;

namespace Builder.Vm.Tests.Output.Binaries;

public sealed class DebReaderTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("debreader");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DebControl Read(byte[] deb, DebReaderLimits? limits = null) => DebReader.Read(new MemoryStream(deb), "p.deb", limits);

    private static string Rejection(byte[] deb, DebReaderLimits? limits = null) =>
        Assert.Throws<DebFormatException>(() => Read(deb, limits)).Message;

    private static byte[] ControlTar(string control = TestDebs.Control) => new TarBuilder().Header("./", '5', 0).File("./control", control).End();

    [Theory]
    [InlineData("gzip")]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("none")]
    public void A_package_built_by_dpkg_deb_is_read_with_every_compression(string compression)
    {
        var path = TestDebs.Build(_dir, "hello_2.10-3_amd64.deb", TestDebs.Control, compression);

        var control = DebReader.Read(path);

        Assert.Equal("hello", control["Package"]);
        Assert.Equal("1:2.10-3", control["version"]);
        Assert.Equal("amd64", control["Architecture"]);
        Assert.Equal("greets\nA friendly program.\n\nIt says hello.", control["Description"]);
        Assert.Null(control["Source"]);
        Assert.Contains("Maintainer", control.FieldNames);
    }

    [Fact]
    public void The_members_of_a_real_package_are_the_ones_the_reader_expects()
    {
        var path = TestDebs.Build(_dir, "p.deb", TestDebs.Control, "zstd");

        Assert.Equal("debian-binary\ncontrol.tar.zst\ndata.tar.zst", TestProcess.Check("ar", ["t", path]));
    }

    [Fact]
    public void GNU_ar_member_names_ending_in_a_slash_and_a_minor_format_version_are_accepted()
    {
        var deb = new ArBuilder().Member("debian-binary/", "2.10\n").Member("control.tar/", ControlTar())
            .Member("data.tar/", new TarBuilder().End()).Bytes();

        Assert.Equal("hello", Read(deb)["Package"]);
    }

    [Theory]
    [InlineData("!<arch>", "not an ar archive (no '!<arch>' magic)")]
    [InlineData("<!arch>\n", "not an ar archive (no '!<arch>' magic)")]
    [InlineData("!<thin>\n", "not an ar archive (no '!<arch>' magic)")]
    public void A_file_without_the_ar_magic_is_refused(string magic, string problem)
    {
        Assert.Equal($"p.deb: {problem}", Rejection(new ArBuilder(magic).Member("debian-binary", "2.0\n").Bytes()));
    }

    [Fact]
    public void An_empty_archive_is_refused()
    {
        Assert.Equal("p.deb: empty ar archive: no debian-binary member", Rejection(new ArBuilder().Bytes()));
    }

    [Fact]
    public void A_package_without_debian_binary_is_refused()
    {
        var deb = new ArBuilder().Member("control.tar", ControlTar()).Member("data.tar", new TarBuilder().End()).Bytes();

        Assert.Equal("p.deb: first ar member is 'control.tar', expected 'debian-binary'", Rejection(deb));
    }

    [Theory]
    [InlineData("3.0\n")]
    [InlineData("2.0")]
    [InlineData("2.0\nmore\n")]
    [InlineData("2.\n")]
    [InlineData("20\n")]
    [InlineData("2.0\n\n")]
    public void A_wrong_debian_binary_is_refused(string content)
    {
        var deb = new ArBuilder().Member("debian-binary", content).Member("control.tar", ControlTar()).Member("data.tar", new TarBuilder().End()).Bytes();

        Assert.Equal("p.deb: debian-binary does not hold a format version '2.<digits>\\n'", Rejection(deb));
    }

    [Fact]
    public void Data_before_control_is_refused_as_the_wrong_member_order()
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Member("data.tar", new TarBuilder().End()).Member("control.tar", ControlTar()).Bytes();

        Assert.Equal("p.deb: second ar member is 'data.tar', expected control.tar, control.tar.gz, control.tar.xz or control.tar.zst", Rejection(deb));
    }

    [Fact]
    public void A_package_without_a_control_member_is_refused()
    {
        Assert.Equal("p.deb: no control member after debian-binary", Rejection(new ArBuilder().Member("debian-binary", "2.0\n").Bytes()));
    }

    [Fact]
    public void A_package_without_a_data_member_is_refused()
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Member("control.tar", ControlTar()).Bytes();

        Assert.Equal("p.deb: no data member after control.tar", Rejection(deb));
    }

    [Theory]
    [InlineData("control.tar.bz2", "second ar member is 'control.tar.bz2', expected control.tar, control.tar.gz, control.tar.xz or control.tar.zst")]
    [InlineData("_gpgbuilder", "second ar member is '_gpgbuilder', expected control.tar, control.tar.gz, control.tar.xz or control.tar.zst")]
    public void An_unknown_second_member_is_refused(string member, string problem)
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Member(member, "x").Member("control.tar", ControlTar()).Bytes();

        Assert.Equal($"p.deb: {problem}", Rejection(deb));
    }

    [Fact]
    public void An_unknown_data_member_and_a_member_after_data_are_refused()
    {
        var lzma = new ArBuilder().Member("debian-binary", "2.0\n").Member("control.tar", ControlTar()).Member("data.tar.lzma", "x").Bytes();
        var extra = new ArBuilder().Member("debian-binary", "2.0\n").Member("control.tar", ControlTar()).Member("data.tar", new TarBuilder().End())
            .Member("_extra", "x").Bytes();

        Assert.Equal("p.deb: third ar member is 'data.tar.lzma', expected data.tar, data.tar.gz, data.tar.xz or data.tar.zst", Rejection(lzma));
        Assert.Equal("p.deb: unexpected ar member '_extra' after data.tar", Rejection(extra));
    }

    [Fact]
    public void A_member_whose_size_runs_past_the_file_is_refused_as_truncated()
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Header("control.tar", "5000").Raw(new byte[100]).Bytes();

        Assert.Equal("p.deb: ar member 'control.tar' claims 5000 bytes, but only 100 follow its header", Rejection(deb));
    }

    [Fact]
    public void A_header_cut_short_is_refused()
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Raw(Encoding.ASCII.GetBytes("control.tar     1700")).Bytes();

        Assert.Equal("p.deb: truncated ar member header at offset 72 (20 of 60 bytes)", Rejection(deb));
    }

    [Theory]
    [InlineData("12a")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("1 2")]
    [InlineData("")]
    [InlineData("0x10")]
    public void A_size_field_that_is_not_a_plain_decimal_is_refused(string size)
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Header("control.tar", size).Raw(new byte[64]).Bytes();

        Assert.Equal($"p.deb: ar member 'control.tar': size field '{size.TrimEnd()}' is not a decimal number", Rejection(deb));
    }

    [Fact]
    public void A_size_of_ten_nines_is_refused_without_reading_or_allocating_it()
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Header("control.tar", "9999999999").Raw(new byte[64]).Bytes();

        Assert.Equal("p.deb: ar member 'control.tar' claims 9999999999 bytes, but only 64 follow its header", Rejection(deb));
    }

    [Fact]
    public void A_control_member_over_its_cap_is_refused_before_it_is_read()
    {
        var deb = ArBuilder.Deb("control.tar", ControlTar());

        var message = Rejection(deb, DebReaderLimits.Default with { MaxControlMemberSize = 1000 });

        Assert.Equal($"p.deb: control.tar is {ControlTar().Length} bytes, more than the cap of 1000", message);
    }

    [Fact]
    public void An_odd_sized_member_without_its_padding_byte_is_refused()
    {
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Member("control.tar", ControlTar()).Member("data.tar", "odd"u8.ToArray(), pad: false)
            .Member("x", "y").Bytes();

        Assert.Equal("p.deb: ar member 'data.tar' is not followed by a '\\n' padding byte", Rejection(deb));
    }

    [Fact]
    public void A_header_without_its_terminator_is_refused()
    {
        var header = Encoding.ASCII.GetBytes($"{"control.tar",-16}{"0",-12}{"0",-6}{"0",-6}{"100644",-8}{"10",-10}xx");
        var deb = new ArBuilder().Member("debian-binary", "2.0\n").Raw(header).Raw(new byte[10]).Bytes();

        Assert.Equal("p.deb: ar member header at offset 72 does not end in '`\\n'", Rejection(deb));
    }

    [Fact]
    public void A_control_tar_without_a_control_file_is_refused()
    {
        var deb = ArBuilder.Deb("control.tar", new TarBuilder().Header("./", '5', 0).File("./md5sums", "x\n").End());

        Assert.Equal("p.deb: control.tar: has no ./control file", Rejection(deb));
    }

    [Theory]
    [InlineData('2', "symbolic link")]
    [InlineData('1', "hard link")]
    [InlineData('5', "directory")]
    public void A_control_entry_that_is_not_a_regular_file_is_refused(char type, string described)
    {
        var tar = new TarBuilder().Header("./control", type, 0, link: type is '1' or '2' ? "/etc/passwd" : "").End();

        Assert.Equal($"p.deb: control.tar.gz entry 1 './control': is a {described}, the control file must be a regular file",
            Rejection(ArBuilder.Deb("control.tar.gz", ArBuilder.Gzip(tar))));
    }

    [Theory]
    [InlineData('3', "character device")]
    [InlineData('6', "FIFO")]
    [InlineData('7', "contiguous file (type '7')")]
    public void Device_and_other_entries_are_refused_anywhere_in_the_control_tar(char type, string described)
    {
        var tar = new TarBuilder().Header("./dev", type, 0).File("./control", TestDebs.Control).End();

        Assert.Equal($"p.deb: control.tar entry 1 './dev': is a {described}, which a control tar does not hold", Rejection(ArBuilder.Deb("control.tar", tar)));
    }

    [Theory]
    [InlineData("control")]
    [InlineData(".//control")]
    [InlineData("././control")]
    public void Two_names_for_the_control_file_are_refused(string second)
    {
        var tar = new TarBuilder().File("./control", TestDebs.Control).File(second, "Package: evil\n").End();

        Assert.Equal($"p.deb: control.tar entry 2 '{second}': a second control file", Rejection(ArBuilder.Deb("control.tar", tar)));
    }

    [Fact]
    public void A_control_file_spelled_without_the_dot_slash_is_read()
    {
        Assert.Equal("hello", Read(ArBuilder.Deb("control.tar", new TarBuilder().File("control", TestDebs.Control).End()))["Package"]);
    }

    [Fact]
    public void A_control_file_over_its_cap_is_refused()
    {
        var tar = new TarBuilder().File("./control", new byte[(1 << 20) + 1]).End();

        Assert.Equal($"p.deb: control.tar entry 1 './control': {(1 << 20) + 1} bytes exceeds the cap of {1 << 20} bytes", Rejection(ArBuilder.Deb("control.tar", tar)));
    }

    [Fact]
    public void More_entries_than_the_cap_are_refused()
    {
        var tar = new TarBuilder();
        for (var i = 0; i < 20; i++)
        {
            tar.Header($"./f{i}", '0', 0);
        }

        var message = Rejection(ArBuilder.Deb("control.tar", tar.End()), DebReaderLimits.Default with { MaxControlTarEntries = 10 });

        Assert.Equal("p.deb: control.tar: more than 10 entries", message);
    }

    [Theory]
    [InlineData('x', "PAX extended header")]
    [InlineData('g', "PAX global header")]
    [InlineData('L', "GNU long name")]
    [InlineData('K', "GNU long link name")]
    public void A_300_MiB_metadata_header_is_refused_at_once_without_allocating_it(char type, string described)
    {
        var tar = new TarBuilder().Header("./PaxHeaders/control", type, 300L << 20).Raw(new byte[4096]).Unterminated();
        var deb = ArBuilder.Deb("control.tar.gz", ArBuilder.Gzip(tar));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var message = Rejection(deb);

        Assert.Equal($"p.deb: control.tar.gz entry 1 './PaxHeaders/control': is a {described}; dpkg-deb never writes one and tools read them differently", message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 4 << 20);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_gzip_bomb_expanding_to_over_a_GiB_is_refused_at_the_cap_quickly_and_in_little_memory()
    {
        var member = ArBuilder.Gzip(new byte[64 << 20]);
        var bomb = Enumerable.Repeat(member, 17).SelectMany(b => b).ToArray();
        var deb = ArBuilder.Deb("control.tar.gz", bomb);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var message = Rejection(deb);

        Assert.Equal($"p.deb: control.tar.gz decompresses to more than {64 << 20} bytes", message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, bomb.Length + (8 << 20));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_zstd_bomb_is_refused_at_the_cap()
    {
        var frame = TestDebs.Compress("zstd", new byte[64 << 20], "-1");
        var deb = ArBuilder.Deb("control.tar.zst", Enumerable.Repeat(frame, 17).SelectMany(b => b).ToArray());
        var clock = Stopwatch.StartNew();

        Assert.Equal($"p.deb: control.tar.zst decompresses to more than {64 << 20} bytes", Rejection(deb));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void An_xz_block_asking_for_a_huge_dictionary_is_refused_before_it_is_allocated()
    {
        var xz = TestDebs.Compress("xz", ControlTar());
        Assert.Equal(0x21, xz[14]);
        // Block header at 12: size byte, flags, then (dpkg's and xz's) compressed and uncompressed sizes are absent
        // for a single-threaded xz: filter id 0x21 at 14, properties size 1 at 15, the dictionary byte at 16.
        xz[16] = 37;
        var crc = Crc32(xz.AsSpan(12, ((xz[12] + 1) * 4) - 4));
        BitConverter.TryWriteBytes(xz.AsSpan(12 + ((xz[12] + 1) * 4) - 4, 4), crc);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var message = Rejection(ArBuilder.Deb("control.tar.xz", xz));

        Assert.Equal($"p.deb: xz block at offset 12 asks for a {3L << 29}-byte dictionary, more than the cap of {64 << 20}", message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 4 << 20);
    }

    [Fact]
    public void An_xz_stream_with_data_after_its_footer_is_refused()
    {
        var xz = TestDebs.Compress("xz", ControlTar());

        var message = Rejection(ArBuilder.Deb("control.tar.xz", [.. xz, .. xz]));

        Assert.Equal("p.deb: xz stream footer does not match its index and header, or data follows it", message);
    }

    [Fact]
    public void A_zstd_frame_asking_for_a_1_GiB_window_is_refused_and_one_of_1_MiB_read()
    {
        var small = TestDebs.Compress("zstd", ControlTar());

        var message = Rejection(ArBuilder.Deb("control.tar.zst", WithWindow(small, 30)));

        Assert.Equal("p.deb: malformed: Frame requires too much memory for decoding", message);
        Assert.Equal("hello", Read(ArBuilder.Deb("control.tar.zst", WithWindow(small, 20)))["Package"]);
    }

    // Rewrites a zstd frame header: no single segment, no content size, a window descriptor of 2^log bytes.
    private static byte[] WithWindow(byte[] frame, int log)
    {
        var descriptor = frame[4];
        var singleSegment = (descriptor >> 5) & 1;
        var sizeBytes = (descriptor >> 6) switch { 0 => singleSegment, 1 => 2, 2 => 4, _ => 8 };
        var headerLength = 5 + (1 - singleSegment) + sizeBytes;
        return [.. frame[..4], (byte)(descriptor & 0x04), (byte)((log - 10) << 3), .. frame[headerLength..]];
    }

    [Theory]
    [InlineData("Package: a\nPackage: b\n", "control line 2: field Package appears twice in the stanza")]
    [InlineData("Package: a\nnot a field\n", "control line 2: expected 'Field: value', found 'not a field'")]
    [InlineData(" continued\nPackage: a\n", "control line 1: continuation line before any field")]
    [InlineData("Package: a\n\nPackage: b\n", "control line 3: a second stanza; a package's control file has one")]
    [InlineData("\n\n", "control has no fields")]
    [InlineData("Package: a\u0001\n", "control line 1: control character U+0001 in line")]
    public void A_malformed_control_file_is_refused_naming_the_line(string control, string problem)
    {
        Assert.Equal($"p.deb: {problem}", Rejection(ArBuilder.Deb("control.tar", new TarBuilder().File("./control", control).End())));
    }

    [Fact]
    public void A_control_file_that_is_not_UTF_8_is_refused()
    {
        var tar = new TarBuilder().File("./control", [.. "Package: a\nDescription: "u8, 0xff, (byte)'\n']).End();

        Assert.Equal("p.deb: control is not valid UTF-8", Rejection(ArBuilder.Deb("control.tar", tar)));
    }

    [Fact]
    public void A_tar_without_end_blocks_or_with_data_after_them_is_refused()
    {
        var open = new TarBuilder().File("./control", TestDebs.Control).Unterminated();
        var trailing = new TarBuilder().File("./control", TestDebs.Control).Raw(new byte[512]).Raw(Encoding.ASCII.GetBytes("hidden")).Unterminated();

        Assert.Equal("p.deb: control.tar: ends without the tar end-of-archive blocks", Rejection(ArBuilder.Deb("control.tar", open)));
        Assert.Equal("p.deb: control.tar: data after the end-of-archive block", Rejection(ArBuilder.Deb("control.tar", trailing)));
    }

    [Fact]
    public void A_tar_header_with_a_bad_checksum_or_size_is_refused()
    {
        var tar = new TarBuilder().File("./control", TestDebs.Control).End();
        var badSum = (byte[])tar.Clone();
        badSum[0] = (byte)'X';
        var badSize = new TarBuilder().Header("./control", '0', 0).End();
        Encoding.ASCII.GetBytes("0000000001x\0").CopyTo(badSize, 124);
        FixChecksum(badSize);

        Assert.StartsWith("p.deb: control.tar entry 1: header checksum is ", Rejection(ArBuilder.Deb("control.tar", badSum)), StringComparison.Ordinal);
        Assert.Equal("p.deb: control.tar entry 1 './control': size field '0000000001x?' is not octal", Rejection(ArBuilder.Deb("control.tar", badSize)));
    }

    [Fact]
    public void A_guest_file_name_with_format_characters_is_made_printable_in_messages()
    {
        var message = Assert.Throws<DebFormatException>(() => DebReader.Read(new MemoryStream([1, 2, 3]), "evil\u202Egnp.deb")).Message;

        Assert.Equal("evil?gnp.deb: not an ar archive (no '!<arch>' magic)", message);
    }

    private static void FixChecksum(byte[] tar)
    {
        Encoding.ASCII.GetBytes("        ").CopyTo(tar, 148);
        var sum = tar.AsSpan(0, 512).ToArray().Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, 148);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
