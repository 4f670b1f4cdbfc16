using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Builder.Core.Debian;
using SharpCompress.Compressors.ZStandard;
using SharpCompress.Compressors.ZStandard.Unsafe;

namespace Builder.Vm.Output.Binaries;

/// <summary>
/// Reads the control fields of a guest-made .deb, .udeb or .ddeb without running any program: the ar members must
/// be exactly dpkg's <c>debian-binary</c> (<c>2.x\n</c>), <c>control.tar[.gz|.xz|.zst]</c>,
/// <c>data.tar[.gz|.xz|.zst]</c>; the control member is decompressed under a byte cap and must hold exactly one
/// regular <c>./control</c>, a single deb822 stanza. The data member is not read. Whatever the ar walk, the
/// decompressors or the tar walk throw becomes <see cref="DebFormatException"/>; only process failures
/// (out of memory, cancellation) escape.
/// </summary>
public static partial class DebReader
{
    private const int MaxDebianBinarySize = 16;

    // Library and parser messages quote guest bytes; keep them readable but bounded.
    private const int MaxMessage = 400;

    [GeneratedRegex(@"^2\.[0-9]+\n\z", RegexOptions.CultureInvariant)]
    private static partial Regex DebianBinary();

    /// <summary>Reads the package at <paramref name="path"/>; messages name the file by its base name.</summary>
    /// <exception cref="DebFormatException">naming the file and what is wrong.</exception>
    public static DebControl Read(string path, DebReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = OutputExtractor.Printable(Path.GetFileName(path));
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
            return Read(file, name, limits);
        }
        catch (DebFormatException)
        {
            throw;
        }
        catch (Exception e) when (IsFormatFailure(e))
        {
            throw new DebFormatException(name, $"unreadable: {e.Message}", e);
        }
    }

    /// <summary>Reads a package from a seekable stream; <paramref name="fileName"/> is used in messages only.</summary>
    /// <exception cref="DebFormatException">naming <paramref name="fileName"/> and what is wrong.</exception>
    public static DebControl Read(Stream package, string fileName, DebReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(fileName);
        limits ??= DebReaderLimits.Default;
        var file = OutputExtractor.Printable(fileName);
        if (!package.CanSeek)
        {
            throw new ArgumentException("the package stream must be seekable", nameof(package));
        }
        try
        {
            return ReadControl(package, file, limits);
        }
        catch (DebFormatException)
        {
            throw;
        }
        catch (Exception e) when (IsFormatFailure(e))
        {
            throw new DebFormatException(file, $"malformed: {OutputExtractor.Printable(e.Message, MaxMessage)}", e);
        }
    }

    // Everything a hostile byte stream can make the ar walk, the decompressors or the tar walk throw — including a
    // library's IndexOutOfRange or NullReference on input it never expected — is a format failure; running out of
    // memory or stack, or being cancelled, is the process's failure and is not disguised as one.
    private static bool IsFormatFailure(Exception e) =>
        e is not (OutOfMemoryException or InsufficientExecutionStackException or OperationCanceledException or ThreadInterruptedException);

    private static DebControl ReadControl(Stream package, string file, DebReaderLimits limits)
    {
        var ar = new ArReader(package, file);
        var version = ar.Next() ?? throw new DebFormatException(file, "empty ar archive: no debian-binary member");
        if (version.Name != "debian-binary")
        {
            throw new DebFormatException(file, $"first ar member is '{OutputExtractor.Printable(version.Name)}', expected 'debian-binary'");
        }
        if (version.Size > MaxDebianBinarySize || !DebianBinary().IsMatch(Encoding.ASCII.GetString(ar.Read(version))))
        {
            throw new DebFormatException(file, "debian-binary does not hold a format version '2.<digits>\\n'");
        }
        var control = ar.Next() ?? throw new DebFormatException(file, "no control member after debian-binary");
        var compression = CompressionOf(control.Name, "control.tar")
            ?? throw new DebFormatException(file,
                $"second ar member is '{OutputExtractor.Printable(control.Name)}', expected control.tar, control.tar.gz, control.tar.xz or control.tar.zst");
        if (control.Size > limits.MaxControlMemberSize)
        {
            throw new DebFormatException(file, $"{control.Name} is {control.Size} bytes, more than the cap of {limits.MaxControlMemberSize}");
        }
        var compressed = ar.Read(control);
        var data = ar.Next() ?? throw new DebFormatException(file, $"no data member after {control.Name}");
        if (CompressionOf(data.Name, "data.tar") is null)
        {
            throw new DebFormatException(file,
                $"third ar member is '{OutputExtractor.Printable(data.Name)}', expected data.tar, data.tar.gz, data.tar.xz or data.tar.zst");
        }
        if (ar.Next() is { } extra)
        {
            throw new DebFormatException(file, $"unexpected ar member '{OutputExtractor.Printable(extra.Name)}' after {data.Name}");
        }
        byte[] text;
        using (var tar = new CappedStream(Decompress(compressed, compression, file, limits), limits.MaxControlTarSize, file, control.Name))
        {
            text = ControlTar.FindControl(tar, file, control.Name, limits);
        }
        return Parse(text, file, limits);
    }

    private static string? CompressionOf(string member, string stem) => member switch
    {
        _ when member == stem => "",
        _ when member == stem + ".gz" => "gz",
        _ when member == stem + ".xz" => "xz",
        _ when member == stem + ".zst" => "zst",
        _ => null,
    };

    private static Stream Decompress(byte[] data, string compression, string file, DebReaderLimits limits)
    {
        var input = new MemoryStream(data, writable: false);
        switch (compression)
        {
            case "gz":
                return new GZipStream(input, CompressionMode.Decompress);
            case "xz":
                return new XzControlStream(data, limits.MaxDictionarySize, file);
            case "zst":
                var zstd = new DecompressionStream(input, leaveOpen: false);
                // The frame header names its window size; zstd allocates it. Refuse more than the cap.
                zstd.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, BitOperations.Log2((uint)limits.MaxDictionarySize));
                return zstd;
            default:
                return input;
        }
    }

    private static DebControl Parse(byte[] bytes, string file, DebReaderLimits limits)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DebFormatException(file, "control is not valid UTF-8");
        }
        IReadOnlyList<Deb822Stanza> stanzas;
        try
        {
            stanzas = Deb822.ReadStanzas(text, "control", limits.MaxControlFields, 2, limits.MaxControlFileSize);
        }
        catch (DebianFormatException e)
        {
            throw new DebFormatException(file, OutputExtractor.Printable(e.Message, MaxMessage));
        }
        return stanzas.Count switch
        {
            1 => new DebControl(stanzas[0]),
            0 => throw new DebFormatException(file, "control has no fields"),
            _ => throw new DebFormatException(file, $"control line {stanzas[1].Line}: a second stanza; a package's control file has one"),
        };
    }
}
