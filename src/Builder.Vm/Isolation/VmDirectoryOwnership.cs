namespace Builder.Vm.Isolation;

/// <summary>
/// Who owns a VM run directory. While its VM runs, the directory and the disks qemu opens belong to the build uid,
/// with the daemon's gid as group: directory 0770, overlay and output disk 0660, job disk 0440. So the daemon (by
/// group) can still write the console log and delete files, and no other build uid can even enter it (they are
/// neither owner nor in the group). Afterwards everything goes back to the daemon, so whichever build gets the uid
/// next cannot touch a kept failed build's files.
/// </summary>
internal static class VmDirectoryOwnership
{
    public const UnixFileMode DirectoryMode = (UnixFileMode)0b111_111_000;
    public const UnixFileMode WritableDisk = (UnixFileMode)0b110_110_000;
    public const UnixFileMode ReadOnlyDisk = (UnixFileMode)0b100_100_000;
    private const UnixFileMode ReclaimedDirectory = (UnixFileMode)0b111_101_000;

    /// <summary>Gives <paramref name="files"/> (each with its mode), then the directory, to <paramref name="uid"/>.</summary>
    public static void HandOver(string directory, IEnumerable<(string Path, UnixFileMode Mode)> files, uint uid, uint daemonGid)
    {
        // The daemon made every one of these a moment ago in its own directory, so nothing here can be a link. Mode
        // first: once the uid owns a file, only its owner (or CAP_FOWNER, which the daemon does not keep) may chmod it.
        foreach (var (path, mode) in files)
        {
            File.SetUnixFileMode(path, mode);
            Posix.LChown(path, uid, daemonGid);
        }
        File.SetUnixFileMode(directory, DirectoryMode);
        Posix.LChown(directory, uid, daemonGid);
    }

    /// <summary>
    /// Takes the directory back once no process of the build uid is left. Only <paramref name="expected"/> may be in
    /// it, as regular files: anything else (a new file, a directory, a symbolic link where a disk was) was made from
    /// inside the VM's uid, i.e. by an escaped guest. It is removed, never followed, and returned, so the run fails.
    /// </summary>
    public static IReadOnlyList<string> Reclaim(string directory, IReadOnlySet<string> expected, uint daemonUid, uint daemonGid)
    {
        Posix.LChown(directory, daemonUid, daemonGid);
        File.SetUnixFileMode(directory, ReclaimedDirectory);
        var tampered = new List<string>();
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            var regular = entry is FileInfo && entry.LinkTarget is null;
            if (regular && expected.Contains(entry.Name))
            {
                Posix.LChown(entry.FullName, daemonUid, daemonGid);
                continue;
            }
            tampered.Add(entry.LinkTarget is { } target ? $"{entry.Name} -> {target}" : entry.Name);
            if (entry is DirectoryInfo { LinkTarget: null } dir)
            {
                // The build uid's tree: taken over first, or the daemon could not even list it. Recursive delete removes
                // links inside, never what they point to.
                TakeTree(dir, daemonUid, daemonGid);
                dir.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
        return tampered;
    }

    private static void TakeTree(DirectoryInfo dir, uint uid, uint gid)
    {
        Posix.LChown(dir.FullName, uid, gid);
        File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var entry in dir.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            if (entry is DirectoryInfo { LinkTarget: null } child)
            {
                TakeTree(child, uid, gid);
            }
            else
            {
                Posix.LChown(entry.FullName, uid, gid);
            }
        }
    }
}
