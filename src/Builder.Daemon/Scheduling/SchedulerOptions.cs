namespace Builder.Daemon.Scheduling;

/// <summary>The <c>Scheduler</c> configuration section.</summary>
internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Run the dispatcher and the build pipeline here (false: an API-only daemon that accepts requests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for queued builds.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often this daemon checks in (daemon_instances); also how often orphaned builds are looked for.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A daemon that has not checked in for this long is dead and its active builds are recovered.</summary>
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How often the Cleanup job deletes this host's build files past their retention (Logs:KeepFor, Pipeline:KeepWorkFor, Vm:KeepFailedFor).</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the NonceExpiry job deletes the nonces of requests older than twice Http:ReplayWindow.</summary>
    public TimeSpan NonceExpiryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Builds this daemon runs at once (each is one VM): the host's VM slots.</summary>
    public int Slots { get; set; } = 1;

    /// <summary>
    /// The host this daemon's build work directories (Pipeline:WorkDirectory) live on; the machine name when empty. Daemons
    /// that share a work directory share a host name: a build waiting in auditing resumes only on its host.
    /// </summary>
    public string? HostName { get; set; }

    /// <summary>Quartz scheduler name; daemons sharing a database and this name form one cluster.</summary>
    public string ClusterName { get; set; } = "builder";
}
