namespace Builder.Daemon.Pipeline;

/// <summary>The <c>Pipeline</c> configuration section.</summary>
internal sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Per-build work directories (source package, build-dependency .debs, the plan).</summary>
    public string WorkDirectory { get; set; } = "/var/lib/builder/builds";

    /// <summary>
    /// How long a finished build's work directories are kept (this section's, and what is left of its VM directory under
    /// Vm:WorkDirectory: console log, artifacts), counted from the build's end; then the Cleanup job deletes them.
    /// </summary>
    public TimeSpan KeepWorkFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a running build looks for a cancel request.</summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The requester's notification address; <c>{requester}</c> is replaced (empty = no mail to the requester).</summary>
    public string RequesterAddress { get; set; } = "";

    /// <summary>DEB_BUILD_OPTIONS=parallel=N inside the VM (and distcc slots when the farm is used).</summary>
    public int Parallel { get; set; } = 4;

    /// <summary>
    /// How often the transaction that ends a build (its final state with its build-end audit record) is tried before
    /// the daemon gives up on it: a database error there leaves the build in its state, never finished without its record.
    /// </summary>
    public int EndAttempts { get; set; } = 5;

    /// <summary>The wait before the second try of that transaction; it doubles before each further try.</summary>
    public TimeSpan EndRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Send compile jobs through the farm gateway (false: compile inside the VM, no network at all).</summary>
    public bool UseFarm { get; set; } = true;
}
