namespace Builder.Core.Acl;

/// <summary>Collects errors per file, at most <see cref="AclLimits.MaxErrorsPerFile"/> each, so a garbage file cannot flood the report.</summary>
internal sealed class AclErrorList
{
    private readonly Dictionary<string, List<AclError>> _byFile = new(StringComparer.Ordinal);

    public void Add(string file, int? line, string message)
    {
        // A file name is chosen by whoever wrote the tree; keep control characters out of the report and the logs.
        file = DisplayPath(file);
        if (!_byFile.TryGetValue(file, out var list))
        {
            _byFile[file] = list = [];
        }
        if (list.Count < AclLimits.MaxErrorsPerFile)
        {
            list.Add(new AclError(file, line, message));
        }
        else if (list.Count == AclLimits.MaxErrorsPerFile)
        {
            list.Add(new AclError(file, null, $"more than {AclLimits.MaxErrorsPerFile} errors; the rest are not shown"));
        }
    }

    public IReadOnlyList<AclError> For(string file) => _byFile.TryGetValue(DisplayPath(file), out var list) ? list : [];

    /// <summary>The path with control characters shown as <c>\xNN</c>; unchanged for every valid name.</summary>
    public static string DisplayPath(string path)
    {
        if (!path.Any(char.IsControl))
        {
            return path;
        }
        var sb = new System.Text.StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            sb.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }
        return sb.ToString();
    }

    /// <summary>All errors sorted by file, then line (file-level errors first), then message.</summary>
    public List<AclError> Sorted() =>
        [.. _byFile.Values.SelectMany(l => l).Order(AclErrorOrder.Instance)];
}
