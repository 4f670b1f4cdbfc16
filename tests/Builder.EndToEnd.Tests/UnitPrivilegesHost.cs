using System.Globalization;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The stack of <see cref="BuilderdProcessHost"/> for builderd processes started the way ops/systemd/builderd.service
/// starts it (<see cref="UnitLauncher"/>): user builder, the unit's five capabilities in the inheritable, ambient and
/// bounding sets, no_new_privs. Every program the daemon runs by name (dpkg-source, apt-get, reprepro, gpg) is found
/// first in a directory of recording wrappers, the connector qemu starts per guest connection is a recording wrapper,
/// and a hook in each hooks directory records itself: each writes its own /proc status into <see cref="Records"/>
/// (connectors, running as the build uid, into <see cref="ConnectorRecords"/>) and then runs the real program.
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

    /// <summary>The unit's environment: systemd's PATH (with the wrappers first) and a home of the daemon's own.</summary>
    public IReadOnlyDictionary<string, string> UnitEnvironment => new Dictionary<string, string>
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
        // Connectors run as a build uid: they may write here, nothing else of the fixture.
        File.SetUnixFileMode(ConnectorRecords, (UnixFileMode)0b111_111_111);
        Directory.CreateDirectory(Wrappers);
        foreach (var tool in Tools)
        {
            Script(Path.Combine(Wrappers, tool), $"cat /proc/$$/status > '{Records}/tool.{tool}.'$$\nexec /usr/bin/{tool} \"$@\"\n");
        }
        var connector = Path.Combine(Wrappers, "connector");
        Script(connector, $"cat /proc/$$/status > '{ConnectorRecords}/connector.'$$\nexec {new Builder.Vm.VmOptions().ConnectorPath} \"$@\"\n");
        foreach (var kind in new[] { "pre-build", "post-build" })
        {
            Script(Path.Combine(HooksDirectory, kind + ".d", "30-status"), $"cat /proc/$$/status > '{Records}/hook.{kind}.'$BUILDER_BUILD_ID\n");
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
    }

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
