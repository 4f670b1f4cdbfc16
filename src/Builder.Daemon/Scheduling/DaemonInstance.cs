using System.Globalization;

namespace Builder.Daemon.Scheduling;

/// <summary>This process's identity among the daemons sharing the database: host:pid:start-ticks.</summary>
public sealed class DaemonInstance
{
    public DaemonInstance(TimeProvider time)
    {
        Host = Environment.MachineName;
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
