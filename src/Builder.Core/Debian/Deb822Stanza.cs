namespace Builder.Core.Debian;

/// <summary>One stanza of a deb822 file: its fields by lowercase name, and the line of its first field.</summary>
public sealed class Deb822Stanza
{
    private readonly Dictionary<string, Deb822Field> _fields = new(StringComparer.Ordinal);

    internal Deb822Stanza(int line) => Line = line;

    /// <summary>1-based line of the first field; 0 for the empty stanza of an empty file.</summary>
    public int Line { get; }

    public int Count => _fields.Count;

    /// <summary>The fields in no particular order.</summary>
    public IEnumerable<Deb822Field> Fields => _fields.Values;

    /// <summary>Looks a field up by name, case-insensitively as dpkg does.</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Deb822Field? field)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _fields.TryGetValue(name.ToLowerInvariant(), out field);
    }

    internal bool Add(Deb822Field field) => _fields.TryAdd(field.Name.ToLowerInvariant(), field);

    internal static Deb822Stanza Empty { get; } = new(0);
}
