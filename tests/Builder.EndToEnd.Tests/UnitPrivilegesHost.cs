using System.Globalization;
using Builder.Tests.Common;
using Builder.Tests.Common.Processes;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The stack of <see cref="BuilderdProcessHost"/> for builderd processes started the way ops/systemd/builderd.service
/// starts it (<see cref="UnitLauncher"/>): user builder, the unit's five capabilities in the inheritable, ambient and
/// bounding sets, no_new_privs. Every program the daemon runs by name (dpkg-source, apt-get, reprepro, gpg) is found
/// first in a directory of recording wrappers, the connector qemu starts per guest connection is a recording wrapper,
/// and a hook in each hooks directory records itself: each writes its own /proc status into <see cref="Records"/>
/// (connectors, running as the build uid, into <see cref="ConnectorRecords"/>), and the environment it was started with
/// into <see cref="EnvironmentRecords"/>, and then runs the real program. The daemon's own environment holds
/// <see cref="PlantedEnvironment.Plants"/>, which no child may get.
/// </summary>
public sealed class UnitPrivilegesHost : BuilderdProcessHost
{
    /// <summary>Build uids of this fixture only, so no other test's VMs share them.</summary>
    public const string UidRange = "2100000-2100009";

    /// <summary>The unit's capabilities (CapabilityBoundingSet = AmbientCapabilities), as setpriv names them.</summary>
    public const string UnitCapabilities = "+setuid,+setgid,+chown,+kill,+setpcap";

    /// <summary>CAP_CHOWN, CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_SETPCAP: bits 0, 5, 6, 7, 8.</summary>
    public const ulong UnitMask = 0x1e1;

    private static readonly string[] Tools = ["dpkg-source", "apt-get", "reprepro", "gpg"];

    public static string DaemonUser => TestEnvironment.Require("BUILDER_TEST_DAEMON_USER");

    protected override IReadOnlyList<string> Packages => ["unit-a", "unit-b", "unit-c"];

    public string Records => Path.Combine(Root, "records");

    public string ConnectorRecords => Path.Combine(Root, "connector-records");

    /// <summary>Each recorder's /proc environ (exactly what it was started with), as ENV-NAME.PID files (NUL-separated).</summary>
    public string EnvironmentRecords => Path.Combine(Root, "environment-records");

    private string Wrappers => Path.Combine(Root, "unit-bin");

    /// <summary>
    /// The unit's UMask=, then setpriv as systemd applies its User=, Group=, AmbientCapabilities=, CapabilityBoundingSet= and
    /// NoNewPrivileges= (systemd is not PID 1 here).
    /// </summary>
    public static IReadOnlyList<string> UnitLauncher =>
    [
        "/bin/sh", "-c", "umask 0027 && exec \"$@\"", "unit", "setpriv", $"--reuid={DaemonUser}", $"--regid={DaemonUser}", "--init-groups",
        $"--inh-caps={UnitCapabilities}", $"--ambient-caps={UnitCapabilities}", $"--bounding-set=-all,{UnitCapabilities}", "--no-new-privs", "--",
    ];

    /// <summary>
    /// The unit's environment: systemd's PATH (with the wrappers first) and a home of the daemon's own; and the plants
    /// (a daemon secret, a preload, a gconv path) that must reach no child.
    /// </summary>
    public IReadOnlyDictionary<string, string> UnitEnvironment => new Dictionary<string, string>(PlantedEnvironment.Plants)
    {
        ["PATH"] = $"{Wrappers}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = Path.Combine(Root, "home"),
    };

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        var settings = new Dictionary<string, string?>(await base.SettingsAsync());
        Directory.CreateDirectory(Records);
        Directory.CreateDirectory(Path.Combine(Root, "home"));
        Directory.CreateDirectory(ConnectorRecords);
        Directory.CreateDirectory(EnvironmentRecords);
        // Connectors run as a build uid: they may write here, nothing else of the fixture.
        File.SetUnixFileMode(ConnectorRecords, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(EnvironmentRecords, (UnixFileMode)0b111_111_111);
        Directory.CreateDirectory(Wrappers);
        foreach (var tool in Tools)
        {
            Script(Path.Combine(Wrappers, tool), $"cat /proc/$$/status > '{Records}/tool.{tool}.'$$\n{RecordEnvironment($"tool.{tool}")}exec /usr/bin/{tool} \"$@\"\n");
        }
        var connector = Path.Combine(Wrappers, "connector");
        Script(connector, $"cat /proc/$$/status > '{ConnectorRecords}/connector.'$$\n{RecordEnvironment("connector")}exec {new Builder.Vm.VmOptions().ConnectorPath} \"$@\"\n");
        foreach (var kind in new[] { "pre-build", "post-build" })
        {
            Script(Path.Combine(HooksDirectory, kind + ".d", "30-status"),
                $"cat /proc/$$/status > '{Records}/hook.{kind}.'$BUILDER_BUILD_ID\n{RecordEnvironment($"hook.{kind}")}");
        }
        settings["Vm:UidRange"] = UidRange;
        settings["Vm:UidLockDirectory"] = Path.Combine(Root, "uid-locks");
        settings["Vm:ConnectorPath"] = connector;
        return settings;
    }

    /// <summary>
    /// Hands the fixture's directories to the daemon's user, as an installation would (StateDirectory=, the repository
    /// and key owned by builder); the repository key's agent, started by root when the key was made, is stopped first.
    /// </summary>
    public async Task GiveToDaemonUserAsync()
    {
        await TestProcess.RunAsync("gpgconf", ["--homedir", GnupgHome, "--kill", "gpg-agent"]);
        await TestProcess.CheckAsync("chown", ["-R", $"{DaemonUser}:{DaemonUser}", "--", Root]);
        File.SetUnixFileMode(ConnectorRecords, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(EnvironmentRecords, (UnixFileMode)0b111_111_111);
    }

    /// <summary>Each recorder's environment by record name (tool.NAME.PID, hook.KIND.PID, connector.PID).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> RecordedEnvironments() =>
        Directory.GetFiles(EnvironmentRecords).ToDictionary(f => Path.GetFileName(f), f => ParseEnviron(File.ReadAllBytes(f)), StringComparer.Ordinal);

    /// <summary>A /proc/PID/environ: NUL-terminated NAME=value entries.</summary>
    public static IReadOnlyDictionary<string, string> ParseEnviron(byte[] environ) =>
        System.Text.Encoding.UTF8.GetString(environ).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal);

    // The shell's own environ as exec gave it, before the shell adds anything of its own.
    private string RecordEnvironment(string name) => $"cat /proc/$$/environ > '{EnvironmentRecords}/{name}.'$$\n";

    /// <summary>The /proc status each recorder wrote, by file name (tool.NAME.PID, hook.KIND.BUILD, connector.PID).</summary>
    public IReadOnlyDictionary<string, string> Recorded() =>
        Directory.GetFiles(Records).Concat(Directory.GetFiles(ConnectorRecords))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);

    public static uint Uid(string name) =>
        uint.Parse(TestProcess.Check("id", ["-u", "--", name]), NumberStyles.None, CultureInfo.InvariantCulture);

    private static void Script(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
