using System.Globalization;

namespace Builder.Vm.Isolation;

/// <summary>
/// The uids the VM runner gives to builds (<c>Vm:UidRange</c>, "FIRST-LAST"): one per running VM, the same number as
/// its primary gid, no supplementary groups. They need no passwd entry; nothing else on the host may use them.
/// </summary>
internal readonly record struct UidRange(uint First, uint Last)
{
    /// <summary>Uids below this are system and login accounts.</summary>
    public const uint Lowest = 1000;

    /// <summary>(uid_t)-1 means "unchanged" to the set*id calls, so it is never a uid.</summary>
    public const uint Highest = uint.MaxValue - 1;

    public long Count => (long)Last - First + 1;

    public bool Contains(uint id) => id >= First && id <= Last;

    public IEnumerable<uint> Uids()
    {
        for (var uid = (long)First; uid <= Last; uid++)
        {
            yield return (uint)uid;
        }
    }

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> (naming the key and the value) if it is not a valid range.</summary>
    public static UidRange? Parse(string text, out string? error)
    {
        error = null;
        var parts = text.Split('-');
        if (parts.Length != 2
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            error = $"Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '{text}'";
            return null;
        }
        if (first > last)
        {
            error = $"Vm:UidRange '{text}' ends before it starts";
            return null;
        }
        if (first < Lowest || last > Highest)
        {
            error = $"Vm:UidRange '{text}' must lie within {Lowest}-{Highest} (lower uids are system and login accounts)";
            return null;
        }
        return new UidRange(first, last);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
