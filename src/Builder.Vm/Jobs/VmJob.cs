using System.Net;

namespace Builder.Vm.Jobs;

/// <summary>One build to run in a disposable VM.</summary>
public sealed class VmJob
{
    /// <summary>The build's id (names the per-build directory under <c>Vm:WorkDirectory</c> unless <see cref="WorkDirectory"/> is set).</summary>
    public required long BuildId { get; init; }

    /// <summary>The build's VM directory; null means <c>Vm:WorkDirectory/&lt;BuildId&gt;</c>. It must not hold an earlier run.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The source package: exactly one .dsc and the files it lists (tarballs), made on the host by dpkg-source -b.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>Build-dependency .debs resolved on the host; the guest installs them as root before building.</summary>
    public IReadOnlyList<string> BuildDependencies { get; init; } = [];

    /// <summary>The build's gateway on host loopback; null builds without the farm (and without any network).</summary>
    public IPEndPoint? Gateway { get; init; }

    /// <summary>DEB_BUILD_OPTIONS=parallel=N, and the distcc slots when the farm is used.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>dpkg-buildpackage --build= value: binary, any, all, source or full.</summary>
    public string BuildType { get; init; } = "binary";

    /// <summary>Called with each serial-console line as it arrives (the build log stream); must not block.</summary>
    public Action<string>? LogLine { get; init; }

    /// <summary>
    /// The longest console line in bytes handed to <see cref="LogLine"/> and written to console.log; longer ones are
    /// broken. The daemon passes its build log's Logs:MaxLineLength, so a long line is cut in one place only.
    /// </summary>
    public int MaxLogLine { get; init; } = Running.ConsoleCapture.DefaultMaxLine;

    /// <summary>What the guest agent does; anything but Build exists to test the host's defences.</summary>
    internal GuestMode Mode { get; init; } = GuestMode.Build;

    /// <summary>Hostile mode: which malicious tar the guest writes.</summary>
    internal string? HostileKind { get; init; }

    /// <summary>Noisy mode: how many MiB of console output the guest floods.</summary>
    internal int FloodMib { get; init; }

    /// <summary>Probe mode: host ports the guest tries on 10.0.2.2.</summary>
    internal IReadOnlyList<int> ProbePorts { get; init; } = [];

    /// <summary>ConnFlood mode: how many connections the guest opens at once.</summary>
    internal int FloodConnections { get; init; } = 200;

    /// <summary>ConnFlood mode: the DOTI length each connection announces, in MiB.</summary>
    internal int FloodAnnounceMib { get; init; } = 64;
}
