using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Builder.Farm.Gateway;
using Builder.Tests.Common;
using Builder.Vm.Jobs;
using Builder.Vm.Output;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Vm.Tests.Running;

/// <summary>
/// Real qemu (TCG here), the real image and real distccd. One class, so the VMs run one after another on a
/// 2-core machine; each boot is ~15 s, the demo build with the farm ~1-2 min.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed partial class VmRunnerTests(VmFixture fixture) : IClassFixture<VmFixture>
{
    [GeneratedRegex(@"Port=(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex PortPattern();

    [Fact]
    public async Task The_demo_package_builds_in_the_VM_through_the_farm_into_a_deb_dpkg_accepts()
    {
        var farmLog = Path.Combine(fixture.FarmLogs, "farm1.log");
        var before = new FileInfo(farmLog).Length;
        using var runner = fixture.Runner();
        var lines = new ConcurrentQueue<string>();

        var result = await runner.RunAsync(new VmJob
        {
            BuildId = 1, SourceFiles = fixture.DemoSource, Gateway = fixture.Farm[0], Parallel = 4, LogLine = lines.Enqueue,
        }, CancellationToken.None);

        Assert.True(result.Outcome == VmOutcome.Succeeded, $"{result.Outcome}: {result.Reason}\n{Tail(result.LogPath)}");
        var deb = Assert.Single(result.Artifacts, a => a.Name == "builder-hello_1.0_amd64.deb");
        var info = await TestProcess.CheckAsync("dpkg-deb", ["--info", deb.Path], result.Directory);
        Assert.Contains("Package: builder-hello", info, StringComparison.Ordinal);
        Assert.Contains(result.Artifacts, a => a.Name == "builder-hello_1.0_amd64.changes");
        Assert.Contains(lines, l => l.Contains("dpkg-buildpackage", StringComparison.Ordinal));
        Assert.NotNull(result.BootTime);
        Assert.Equal(64, result.ImageManifestSha256.Length);
        Assert.False(File.Exists(Path.Combine(result.Directory, "overlay.qcow2")), "a successful build's overlay is deleted");
        var farmLines = ReadFrom(farmLog, before);
        Assert.Contains(farmLines, l => l.Contains("COMPILE_OK", StringComparison.Ordinal) && l.Contains("src/sha256.c", StringComparison.Ordinal));
        Assert.True(farmLines.Count(l => l.Contains("COMPILE_OK", StringComparison.Ordinal)) >= 10, string.Join('\n', farmLines));
    }

    [Fact]
    public async Task From_inside_the_guest_only_the_gateway_is_reachable_and_it_carries_concurrent_jobs()
    {
        var pgPort = int.Parse(PortPattern().Match(TestEnvironment.Require(TestEnvironment.Postgres)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int[] hostPorts = [22, pgPort, fixture.Farm[0].Port, fixture.Farm[1].Port];
        using var runner = fixture.Runner();
        // The real gateway, so the guest's raw client gets a refusal followed by the gateway's close.
        using var farm = fixture.Gateway();
        await using var gateway = await farm.Services.GetRequiredService<IFarmGateway>().OpenAsync(2, CancellationToken.None);

        var result = await runner.RunAsync(new VmJob
        {
            BuildId = 2, Gateway = gateway.Endpoint, Mode = GuestMode.Probe, ProbePorts = hostPorts,
        }, CancellationToken.None);

        Assert.True(result.Outcome == VmOutcome.Succeeded, $"{result.Outcome}: {result.Reason}\n{Tail(result.LogPath)}");
        var probes = File.ReadAllLines(result.LogPath).Where(l => l.StartsWith("builder-probe: ", StringComparison.Ordinal))
            .Select(l => l["builder-probe: ".Length..]).ToArray();
        foreach (var port in hostPorts)
        {
            Assert.Contains($"host-{port} blocked", probes);
        }
        Assert.Contains("outside-1.1.1.1:53 blocked", probes);
        Assert.Contains("outside-151.101.2.132:80 blocked", probes);
        Assert.Contains("gateway-address-other-port blocked", probes);
        Assert.Contains("slirp-dns-tcp blocked", probes);
        Assert.Contains("dns-lookup blocked", probes);
        Assert.Contains("gateway reachable", probes);
        Assert.Contains("gateway-concurrent-compiles 4/4", probes);
        // The answer came, and so did EOF, before the guest's 30 s "hung" bound.
        var eof = Assert.Single(probes, p => p.StartsWith("gateway-refused-eof ", StringComparison.Ordinal));
        Assert.Matches("^gateway-refused-eof eof after [0-9]+ ms: DONE00000001STAT00000100$", eof);
    }

    [Theory]
    [InlineData("dotdot", "'../escaped.deb': is a path")]
    [InlineData("absolute", "'/tmp/absolute.deb': is a path")]
    [InlineData("symlink", "'link.deb': is a symbolic link")]
    [InlineData("hardlink", "'hard.deb': is a hard link")]
    [InlineData("device", "'null.deb': is a character device")]
    [InlineData("huge", "'huge.deb': 2147483648 bytes exceeds the output disk of 536870912 bytes")]
    [InlineData("many", "output tar: more than 256 entries")]
    [InlineData("paxhuge", "output tar entry 1: a PAX extended header of 314572800 bytes: the tar's metadata exceeds Vm:MaxTarMetadata (65536 bytes)")]
    [InlineData("sparse", "output tar entry 1 'sparse.deb': is a GNU sparse file (type 'S'), only regular files are accepted")]
    [InlineData("longname", "output tar entry 65: a GNU long name of 190 bytes: the tar's metadata exceeds Vm:MaxTarMetadata (65536 bytes)")]
    public async Task A_hostile_output_tar_is_rejected_and_nothing_lands_outside_the_build_directory(string kind, string expected)
    {
        // Room for paxhuge's 300 MiB header stream; the disk file is sparse, so the other kinds cost no more.
        using var runner = fixture.Runner(o => o.OutputSize = 512L << 20);
        var work = TestEnvironment.NewTempDirectory("hostile");
        var buildDir = Path.Combine(work, "build");

        var result = await runner.RunAsync(new VmJob
        {
            BuildId = 3, WorkDirectory = buildDir, Mode = GuestMode.Hostile, HostileKind = kind,
        }, CancellationToken.None);

        Assert.True(result.Outcome == VmOutcome.OutputRejected, $"{result.Outcome}: {result.Reason}\n{Tail(result.LogPath)}");
        Assert.Contains(expected, result.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Artifacts);
        Assert.Equal([buildDir], Directory.GetFileSystemEntries(work));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(buildDir, "artifacts")));
        Assert.False(File.Exists("/tmp/absolute.deb"));
        // The disk the guest wrote (kept, as for every failed build), read again: the same rejection, in bounded memory.
        var again = TestEnvironment.NewTempDirectory("hostile-again");
        await using var disk = File.OpenRead(Path.Combine(buildDir, "output.img"));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var limits = new OutputLimits(MaxFileSize: 512L << 20, MaxTotalSize: 1L << 30, MaxEntries: 256, MaxMetadata: 64 << 10, DiskSize: disk.Length);
        var e = Assert.Throws<OutputRejectedException>(() => OutputExtractor.Extract(disk, again, limits));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(result.Reason, e.Message);
        Assert.True(allocated < 16 << 20, $"extracting the {kind} disk allocated {allocated} bytes");
        Assert.Empty(Directory.GetFileSystemEntries(again));
    }

    [Fact]
    public async Task A_guest_that_never_powers_off_is_killed_at_the_timeout()
    {
        using var runner = fixture.Runner(o => o.Timeout = TimeSpan.FromSeconds(45));

        var result = await runner.RunAsync(new VmJob { BuildId = 4, Mode = GuestMode.Hang }, CancellationToken.None);

        Assert.Equal(VmOutcome.Timeout, result.Outcome);
        Assert.Contains("Vm:Timeout", result.Reason, StringComparison.Ordinal);
        Assert.Contains("hanging on purpose", File.ReadAllText(result.LogPath), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(result.Directory, "overlay.qcow2")), "a failed build's overlay is kept");
    }

    [Fact]
    public async Task Cancelling_a_running_build_kills_the_VM_and_reports_cancelled_not_timeout()
    {
        using var runner = fixture.Runner();
        using var cancel = new CancellationTokenSource();

        var result = await runner.RunAsync(new VmJob
        {
            BuildId = 5, Mode = GuestMode.Hang,
            LogLine = l =>
            {
                if (l.Contains("hanging on purpose", StringComparison.Ordinal))
                {
                    cancel.Cancel();
                }
            },
        }, cancel.Token);

        Assert.Equal(VmOutcome.Cancelled, result.Outcome);
        Assert.NotNull(result.BootTime);
    }

    [Fact]
    public async Task A_guest_that_fills_its_disk_fails_and_its_overlay_stays_within_the_configured_size()
    {
        var baseSize = new FileInfo(Path.Combine(fixture.Image, "root.img")).Length;
        var overlaySize = Math.Max(1L << 30, baseSize + (256L << 20));
        using var runner = fixture.Runner(o => o.OverlaySize = overlaySize);
        var work = TestEnvironment.NewTempDirectory("fill");
        var buildDir = Path.Combine(work, "build");

        var result = await runner.RunAsync(new VmJob { BuildId = 6, WorkDirectory = buildDir, Mode = GuestMode.Fill }, CancellationToken.None);

        Assert.True(result.Outcome == VmOutcome.BuildFailed, $"{result.Outcome}: {result.Reason}\n{Tail(result.LogPath)}");
        Assert.Contains("No space left on device", File.ReadAllText(result.LogPath), StringComparison.Ordinal);
        var overlay = new FileInfo(Path.Combine(buildDir, "overlay.qcow2")).Length;
        Assert.True(overlay <= overlaySize + (overlaySize / 20), $"overlay grew to {overlay} bytes, limit {overlaySize}");
        Assert.Equal([buildDir], Directory.GetFileSystemEntries(work));
    }

    private static string[] ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }

    internal static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(40)) : "(no console log)";
}
