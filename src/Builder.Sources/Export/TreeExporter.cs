using System.Text;
using Builder.Core.Text;
using LibGit2Sharp;

namespace Builder.Sources.Export;

/// <summary>
/// Checks a git tree before any of it is written: sizes come from object headers (a 1 GiB sparse file is
/// refused without reading it), names that could escape or confuse (<c>..</c>, <c>.git</c>, control
/// characters) are refused, submodules are refused, and every symlink must stay inside the tree after
/// following the tree's own links (absolute targets and <c>../</c> escapes are refused).
/// </summary>
internal static class TreeExporter
{
    /// <summary>Checks <paramref name="tree"/> against <paramref name="limits"/> and the rules above; <paramref name="what"/> names it in errors (e.g. "hello at 1a2b3c4d5e6f").</summary>
    /// <exception cref="SourceException">naming the path and the limit or rule it breaks.</exception>
    public static ExportPlan Plan(Repository repository, Tree tree, ExportLimits limits, string what)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(limits);
        var entries = new List<ExportEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var stack = new Stack<(Tree Tree, string Prefix, int Depth)>();
        stack.Push((tree, "", 0));
        while (stack.Count > 0)
        {
            var (current, prefix, depth) = stack.Pop();
            foreach (var entry in current)
            {
                var path = prefix + entry.Name;
                CheckName(entry.Name, path, what);
                if (!seen.Add(path))
                {
                    // git fsck calls this duplicateEntries; a crafted tree can still carry it, and two writes to one path must not happen.
                    throw new SourceException($"{what}: the tree has '{Printable(path)}' twice");
                }
                if (path.Length > ExportLimits.MaxPathLength)
                {
                    throw new SourceException($"{what}: path '{Printable(path[..80])}…' is longer than {ExportLimits.MaxPathLength} characters");
                }
                if (entries.Count == limits.MaxEntries)
                {
                    throw new SourceException($"{what}: the tree has more than {limits.MaxEntries} entries (Packages:MaxExportEntries)");
                }
                switch (entry.Mode)
                {
                    case Mode.Directory:
                        if (depth + 1 > ExportLimits.MaxDepth)
                        {
                            throw new SourceException($"{what}: '{Printable(path)}' is nested deeper than {ExportLimits.MaxDepth} directories");
                        }
                        entries.Add(new ExportEntry(path, ExportEntryKind.Directory, null, 0, false, null));
                        stack.Push(((Tree)entry.Target, path + "/", depth + 1));
                        break;
                    case Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.ExecutableFile:
                        var size = repository.ObjectDatabase.RetrieveObjectMetadata(entry.Target.Id).Size;
                        if (size > limits.MaxBytes)
                        {
                            throw new SourceException($"{what}: '{Printable(path)}' is {size} bytes, more than the export limit of {limits.MaxBytes} bytes (Packages:MaxExportBytes)");
                        }
                        total += size;
                        if (total > limits.MaxBytes)
                        {
                            throw new SourceException($"{what}: the tree is larger than the export limit of {limits.MaxBytes} bytes (Packages:MaxExportBytes)");
                        }
                        entries.Add(new ExportEntry(path, ExportEntryKind.File, entry.Target.Id, size, entry.Mode == Mode.ExecutableFile, null));
                        break;
                    case Mode.SymbolicLink:
                        entries.Add(new ExportEntry(path, ExportEntryKind.Symlink, null, 0, false, ReadLinkTarget(repository, entry, path, what)));
                        break;
                    case Mode.GitLink:
                        throw new SourceException($"{what}: '{Printable(path)}' is a git submodule; submodules are not exported, vendor the files instead");
                    default:
                        throw new SourceException($"{what}: '{Printable(path)}' has unsupported mode {entry.Mode}");
                }
            }
        }
        CheckLinks(entries, what);
        return new ExportPlan(repository, entries, total);
    }

    private static void CheckName(string name, string path, string what)
    {
        if (name.Length == 0 || name is "." or ".." || name.Equals(".git", StringComparison.OrdinalIgnoreCase)
            || name.Any(c => char.IsControl(c) || c is '/' or '\\'))
        {
            throw new SourceException($"{what}: refusing the tree entry '{Printable(path)}'");
        }
    }

    private static string ReadLinkTarget(Repository repository, TreeEntry entry, string path, string what)
    {
        var size = repository.ObjectDatabase.RetrieveObjectMetadata(entry.Target.Id).Size;
        if (size is 0 or > ExportLimits.MaxLinkTargetLength)
        {
            throw new SourceException($"{what}: symlink '{Printable(path)}' has a target of {size} bytes");
        }
        var target = ((Blob)entry.Target).GetContentText(Encoding.UTF8);
        if (target.Any(c => c == '\0' || char.IsControl(c)))
        {
            throw new SourceException($"{what}: symlink '{Printable(path)}' has a control character in its target");
        }
        return target;
    }

    /// <summary>Follows every link through the tree's own links, like the kernel would once it is written out.</summary>
    private static void CheckLinks(List<ExportEntry> entries, string what)
    {
        var byPath = entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        foreach (var link in entries.Where(e => e.Kind == ExportEntryKind.Symlink))
        {
            if (!StaysInside(byPath, link.Path, link.LinkTarget!))
            {
                throw new SourceException($"{what}: symlink '{Printable(link.Path)}' points outside the source tree (to '{Printable(link.LinkTarget!)}')");
            }
        }
    }

    private static bool StaysInside(Dictionary<string, ExportEntry> byPath, string linkPath, string target)
    {
        var resolved = new List<string>(linkPath.Split('/')[..^1]);
        var pending = new LinkedList<string>();
        var hops = 0;
        if (!Push(pending, target))
        {
            return false;
        }
        while (pending.First is { } node)
        {
            var part = node.Value;
            pending.RemoveFirst();
            if (part is "" or ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (resolved.Count == 0)
                {
                    return false;
                }
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = resolved.Count == 0 ? part : string.Join('/', resolved) + "/" + part;
            if (byPath.TryGetValue(candidate, out var e) && e.Kind == ExportEntryKind.Symlink)
            {
                // The link's target replaces this component, resolved from the directory the link is in.
                if (++hops > ExportLimits.MaxLinkHops || !Push(pending, e.LinkTarget!))
                {
                    return false;
                }
                continue;
            }
            resolved.Add(part);
        }
        return true;
    }

    private static bool Push(LinkedList<string> pending, string target)
    {
        if (target.StartsWith('/'))
        {
            return false;
        }
        var parts = target.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.AddFirst(parts[i]);
        }
        return true;
    }

    /// <summary>A path or field from the package's tree as it may be quoted in an error: cleaned, at most 200 characters.</summary>
    internal static string Printable(string s) => UntrustedText.CleanCut(s, 200);
}
