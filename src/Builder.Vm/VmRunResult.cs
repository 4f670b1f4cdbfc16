namespace Builder.Vm;

/// <summary>The result of one VM run.</summary>
public sealed record VmRunResult
{
    public required VmOutcome Outcome { get; init; }

    /// <summary>What the guest agent reported (0 = success), when it reported anything.</summary>
    public int? ExitStatus { get; init; }

    /// <summary>Checked files in <c>&lt;Directory&gt;/artifacts</c>; empty unless the output was accepted.</summary>
    public IReadOnlyList<VmArtifact> Artifacts { get; init; } = [];

    /// <summary>The serial console log (the build log).</summary>
    public required string LogPath { get; init; }

    /// <summary>The build's VM directory; on failure it keeps the overlay for Vm:KeepFailedFor.</summary>
    public required string Directory { get; init; }

    /// <summary>From qemu's start to the guest agent's "ready" line; null if it never got there.</summary>
    public TimeSpan? BootTime { get; init; }

    public TimeSpan TotalTime { get; init; }

    /// <summary>Human sentence for anything but success (names the entry, the limit or the exit status).</summary>
    public string Reason { get; init; } = "";

    /// <summary>sha256 of the image manifest the VM booted (for the audit record).</summary>
    public string ImageManifestSha256 { get; init; } = "";

    /// <summary>"kvm" or "tcg".</summary>
    public string Accelerator { get; init; } = "";
}
