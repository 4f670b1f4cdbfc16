using Builder.Core.Debian;

namespace Builder.Vm.Output.Binaries;

/// <summary>The fields of a package's <c>control</c> file (one deb822 stanza), as the guest wrote them.</summary>
public sealed class DebControl
{
    private readonly Deb822Stanza _stanza;

    internal DebControl(Deb822Stanza stanza) => _stanza = stanza;

    /// <summary>The trimmed value of a field (names are case-insensitive), or null when the field is absent.</summary>
    public string? this[string field] => _stanza.TryGetValue(field, out var f) ? f.Value : null;

    /// <summary>The field names as written, in no particular order.</summary>
    public IEnumerable<string> FieldNames => _stanza.Fields.Select(f => f.Name);
}
