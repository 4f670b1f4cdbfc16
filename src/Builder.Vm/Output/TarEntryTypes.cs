using System.Globalization;

namespace Builder.Vm.Output;

/// <summary>The tar type flags the output format knows, by name: what a refused entry is called in its rejection.</summary>
internal static class TarEntryTypes
{
    public const byte Regular = (byte)'0';
    public const byte V7Regular = 0;
    public const byte PaxExtended = (byte)'x';
    public const byte PaxGlobal = (byte)'g';
    public const byte GnuLongName = (byte)'L';
    public const byte GnuLongLink = (byte)'K';

    public static bool IsRegular(byte type) => type is Regular or V7Regular;

    public static bool IsMetadata(byte type) => type is PaxExtended or PaxGlobal or GnuLongName or GnuLongLink;

    /// <summary>"PAX extended header", "GNU long name", …: the metadata kinds, as messages name them.</summary>
    public static string Metadata(byte type) => type switch
    {
        PaxExtended => "PAX extended header",
        PaxGlobal => "PAX global header",
        GnuLongName => "GNU long name",
        _ => "GNU long link name",
    };

    /// <summary>What an entry of a type other than a regular file is, for "is a …, only regular files are accepted".</summary>
    public static string Describe(byte type) => type switch
    {
        (byte)'1' => "hard link",
        (byte)'2' => "symbolic link",
        (byte)'3' => "character device",
        (byte)'4' => "block device",
        (byte)'5' => "directory",
        (byte)'6' => "FIFO",
        (byte)'7' => "contiguous file (type '7')",
        (byte)'S' => "GNU sparse file (type 'S')",
        (byte)'M' => "GNU multi-volume continuation (type 'M')",
        (byte)'V' => "GNU volume label (type 'V')",
        (byte)'D' => "GNU directory dump (type 'D')",
        (byte)'N' => "GNU old long name (type 'N')",
        >= (byte)'!' and <= (byte)'~' => $"entry of type '{(char)type}'",
        _ => string.Create(CultureInfo.InvariantCulture, $"entry of type 0x{type:x2}"),
    };
}
