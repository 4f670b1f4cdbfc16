namespace Builder.Vm.Output;

/// <summary>
/// The metadata headers read since the last entry: at most one PAX extended header, or a GNU long name and a GNU long
/// link name (one each), never both kinds; a PAX global header stands alone. What they say about the next entry.
/// </summary>
internal sealed class TarHeaderMetadata
{
    private bool _pax;
    private bool _longName;
    private bool _longLink;

    /// <summary>The first metadata type waiting for its entry; null when none is.</summary>
    public byte? Kinds { get; private set; }

    /// <summary>The next entry's name from a PAX path or a GNU long name.</summary>
    public string? Name { get; private set; }

    /// <summary>The next entry's size from a PAX size record, unparsed.</summary>
    public string? Size { get; private set; }

    /// <summary>Null when a header of <paramref name="type"/> may come now, else why not.</summary>
    public string? Refuse(byte type)
    {
        var kind = TarEntryTypes.Metadata(type);
        if ((type == TarEntryTypes.PaxExtended && _pax) || (type == TarEntryTypes.GnuLongName && _longName) || (type == TarEntryTypes.GnuLongLink && _longLink))
        {
            return $"a second {kind} before the entry it belongs to";
        }
        if (Kinds is { } first && (type == TarEntryTypes.PaxGlobal || (type == TarEntryTypes.PaxExtended) != (first == TarEntryTypes.PaxExtended)))
        {
            return $"a {kind} after a {TarEntryTypes.Metadata(first)}: an entry has PAX or GNU metadata, not both";
        }
        return null;
    }

    /// <summary>Takes a metadata header's data (its size within the cap); null when it is well formed, else what is wrong.</summary>
    public string? Take(byte type, ReadOnlySpan<byte> data)
    {
        if (type == TarEntryTypes.PaxGlobal)
        {
            // Global attributes (times, owners) change nothing the extractor keeps; their records must still be sound.
            return PaxRecords.Parse(data, out var globalProblem) is null ? globalProblem : null;
        }
        Kinds ??= type;
        if (type == TarEntryTypes.PaxExtended)
        {
            _pax = true;
            if (PaxRecords.Parse(data, out var problem) is not { } records)
            {
                return problem;
            }
            Name = records.Path ?? Name;
            Size = records.Size;
            return null;
        }
        if (type == TarEntryTypes.GnuLongName)
        {
            _longName = true;
            Name = TarHeaderBlock.Text(data);
        }
        else
        {
            _longLink = true;
        }
        return null;
    }
}
