namespace Builder.Daemon.Hooks;

/// <summary>The <c>Hooks</c> configuration section.</summary>
internal sealed class HooksOptions
{
    public const string Section = "Hooks";

    /// <summary>Directory holding pre-build.d, post-build.d and failed-build.d.</summary>
    public string Directory { get; set; } = "/etc/builder/hooks";

    /// <summary>How long one hook may run before it is killed (with its children).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
