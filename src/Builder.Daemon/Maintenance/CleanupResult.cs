namespace Builder.Daemon.Maintenance;

/// <summary>What one Cleanup run deleted: build logs, work directories, whole VM directories, and the disks of failed VM runs.</summary>
internal sealed record CleanupResult(int Logs = 0, int WorkDirectories = 0, int VmDirectories = 0, int VmDisks = 0, int Failures = 0)
{
    public int Total => Logs + WorkDirectories + VmDirectories + VmDisks;
}
