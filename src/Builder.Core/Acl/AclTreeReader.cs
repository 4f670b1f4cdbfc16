namespace Builder.Core.Acl;

/// <summary>
/// Reads an ACL tree from disk into an <see cref="AclSnapshot"/>. Policy (README "ACL tree"):
/// the root may be a symbolic link (so a new tree can be swapped in atomically with <c>ln -sfn</c>), but nothing
/// inside it may be: a symlink, directory, FIFO or device where a file belongs is an error, because following it
/// would let a file outside the reviewed tree grant access. Names starting with '.' or ending in '~' (editor swap
/// and backup files, a .git directory) are ignored and not part of the hash.
/// </summary>
internal static class AclTreeReader
{
    public const string Keys = "keys";
    public const string Groups = "groups";
    public const string Acl = "acl";

    public static AclSnapshot Read(string directory)
    {
        var files = new List<AclFile>();
        var errors = new List<AclError>();
        var root = new DirectoryInfo(directory);
        if (!root.Exists)
        {
            errors.Add(new AclError("", null, $"the ACL directory '{directory}' does not exist or is not a directory"));
            return new AclSnapshot(files, errors);
        }
        var budget = AclLimits.MaxTreeBytes;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in List(root, "", errors))
        {
            if (entry.Name is Keys or Groups or Acl)
            {
                present.Add(entry.Name);
                ReadDirectory(entry, files, errors, ref budget);
            }
            else
            {
                files.Add(AclFile.Unusable(entry.Name, "unexpected entry; the ACL tree holds only keys/, groups/ and acl/"));
            }
        }
        foreach (var required in new[] { Keys, Acl })
        {
            if (!present.Contains(required))
            {
                errors.Add(new AclError(required + "/", null, "missing directory; an ACL tree has keys/ and acl/ (groups/ is optional)"));
            }
        }
        return new AclSnapshot(files, errors);
    }

    private static void ReadDirectory(FileSystemInfo entry, List<AclFile> files, List<AclError> errors, ref long budget)
    {
        var path = entry.Name + "/";
        if (entry.LinkTarget is not null)
        {
            errors.Add(new AclError(path, null, "is a symbolic link; the ACL tree must hold real directories"));
            return;
        }
        if (entry is not DirectoryInfo directory)
        {
            errors.Add(new AclError(path, null, "is not a directory"));
            return;
        }
        foreach (var child in List(directory, path, errors))
        {
            var childPath = path + child.Name;
            if (child.LinkTarget is not null)
            {
                files.Add(AclFile.Unusable(childPath, "not a regular file (a symbolic link; links are not followed)"));
            }
            else if (child is DirectoryInfo)
            {
                files.Add(AclFile.Unusable(childPath, "not a regular file (a directory)"));
            }
            else if (budget <= 0)
            {
                files.Add(AclFile.Unusable(childPath, $"not read: the tree is larger than {AclLimits.MaxTreeBytes} bytes"));
            }
            else
            {
                var content = RegularFileReader.Read(child.FullName, AclLimits.MaxFileBytes, out var problem);
                budget -= content?.Length ?? 0;
                files.Add(content is null ? AclFile.Unusable(childPath, problem!) : AclFile.Read(childPath, content));
            }
        }
    }

    /// <summary>The entries of a directory that are not ignored, sorted, at most <see cref="AclLimits.MaxEntriesPerDirectory"/>.</summary>
    private static List<FileSystemInfo> List(DirectoryInfo directory, string path, List<AclError> errors)
    {
        var entries = new List<FileSystemInfo>();
        try
        {
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                if (IsIgnored(entry.Name))
                {
                    continue;
                }
                if (entries.Count == AclLimits.MaxEntriesPerDirectory)
                {
                    errors.Add(new AclError(path, null, $"more than {AclLimits.MaxEntriesPerDirectory} entries; the rest were not read"));
                    break;
                }
                entries.Add(entry);
            }
        }
        catch (UnauthorizedAccessException)
        {
            errors.Add(new AclError(path, null, Prefix(directory, path) + "cannot read: Permission denied"));
        }
        catch (IOException e)
        {
            errors.Add(new AclError(path, null, Prefix(directory, path) + $"cannot read: {e.Message}"));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    private static string Prefix(DirectoryInfo directory, string path) =>
        path.Length == 0 ? $"the ACL directory '{directory.FullName}': " : "";

    /// <summary>Hidden files (editor swap files such as .prod.swp, .git) and backups (prod~) are not part of the tree.</summary>
    public static bool IsIgnored(string name) => name.StartsWith('.') || name.EndsWith('~');
}
