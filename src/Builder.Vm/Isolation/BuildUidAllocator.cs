using System.Globalization;

namespace Builder.Vm.Isolation;

/// <summary>
/// Hands out the uids of <see cref="UidRange"/>, each to one VM at a time across every process on the host: a uid is
/// taken by an exclusive lock on its lock file (<c>UID.lock</c> in the lock directory; FileShare.None is flock(LOCK_EX)
/// on Linux), held for the VM's lifetime. The kernel drops the lock when its holder dies, so a killed builderd leaves
/// no uid taken.
/// </summary>
internal sealed class BuildUidAllocator(UidRange range, string lockDirectory)
{
    public UidRange Range => range;

    /// <summary>Takes the lowest free uid.</summary>
    /// <exception cref="InvalidOperationException">every uid of the range is taken.</exception>
    public BuildUidLease Acquire()
    {
        if (!Directory.Exists(lockDirectory))
        {
            Directory.CreateDirectory(lockDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        foreach (var uid in range.Uids())
        {
            var path = Path.Combine(lockDirectory, uid.ToString(CultureInfo.InvariantCulture) + ".lock");
            try
            {
                // Read access is enough for flock, and lets a daemon reuse a lock file another user's daemon created.
                return new BuildUidLease(uid, new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None));
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InvalidOperationException($"cannot open the uid lock file {path} (Vm:UidLockDirectory): {e.Message}", e);
            }
            catch (IOException)
            {
                // Locked: a VM of this or another builderd on this host has that uid.
            }
        }
        throw new InvalidOperationException(
            $"all {range.Count} uids of Vm:UidRange {range} are taken by running VMs on this host (locks in {lockDirectory}): "
            + "widen Vm:UidRange, or lower Scheduler:Slots of the builderd processes that share it");
    }
}
