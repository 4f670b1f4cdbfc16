namespace Builder.Daemon.Logs;

/// <summary>The <c>Logs</c> configuration section.</summary>
internal sealed class BuildLogOptions
{
    public const string Section = "Logs";

    /// <summary>One append-only file per build: <c>{Directory}/{id}.log</c>.</summary>
    public string Directory { get; set; } = "/var/lib/builder/logs";

    /// <summary>How long a finished build's log is kept, counted from the build's end; then the Cleanup job deletes it.</summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How long a follow request stays open waiting for more output before the client reconnects.</summary>
    public TimeSpan FollowTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most bytes a build's log file may hold (all attempts, guest console, hooks, tools and the daemon's own lines).
    /// The last <see cref="BuildLogWriter.DaemonReserve"/> bytes are kept for the daemon's lines about the outcome:
    /// other lines stop before them, with one line saying so.
    /// </summary>
    public long MaxBuildLog { get; set; } = 64L << 20;

    /// <summary>The longest line of the build log in characters; a guest's or hook's longer line is broken into pieces of this length.</summary>
    public int MaxLineLength { get; set; } = 4096;

    /// <summary>How often a follow request looks for new output.</summary>
    public TimeSpan FollowPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
