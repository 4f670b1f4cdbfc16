using System.Globalization;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// This process's one identity among the daemons sharing the database: host:pid:start-ticks. It is the owner recorded
/// on the builds it takes, its daemon_instances row, and its Quartz scheduler instance id (so a trigger can be pinned
/// to it).
/// </summary>
internal sealed class DaemonInstance
{
    public DaemonInstance(TimeProvider time)
        : this(Environment.MachineName, time)
    {
    }

    /// <param name="host">the host whose work directories this daemon uses (Scheduler:HostName).</param>
    /// <param name="time">the clock whose start time makes the id unique after a restart with the same pid.</param>
    public DaemonInstance(string host, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Host = host;
        Id = string.Create(CultureInfo.InvariantCulture, $"{Host}:{Environment.ProcessId}:{time.GetUtcNow().UtcTicks}");
    }

    public string Id { get; }

    public string Host { get; }

    /// <summary>The pid inside an instance id of this host, or null when the id is not of the expected form.</summary>
    public static int? PidOf(string id)
    {
        var parts = id.Split(':');
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
