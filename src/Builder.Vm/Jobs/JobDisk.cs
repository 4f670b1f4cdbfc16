using System.Formats.Tar;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Builder.Vm.Jobs;

/// <summary>
/// Writes the read-only job disk: a plain tar (no filesystem to build or mount) with the job description
/// <c>job</c>, the source package under <c>src/</c> and the build-dependency .debs under <c>debs/</c>.
/// </summary>
internal static partial class JobDisk
{
    /// <summary>Where the guest reaches the gateway (slirp forwards it to the host's loopback port).</summary>
    public const string GuestGateway = "10.0.2.100:3632";

    private static readonly string[] BuildTypes = ["binary", "any", "all", "source", "full"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+~-]{0,199}$")]
    private static partial Regex PlainName();

    [GeneratedRegex("^[a-z]{1,16}$")]
    private static partial Regex HostileKindPattern();

    public static void Write(VmJob job, string path)
    {
        var description = Describe(job);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: false);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "job")
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(description)),
            Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        writer.WriteEntry(entry);
        foreach (var file in job.SourceFiles)
        {
            WriteFile(writer, file, "src/" + CheckedName(file, "SourceFiles"));
        }
        foreach (var file in job.BuildDependencies)
        {
            WriteFile(writer, file, "debs/" + CheckedName(file, "BuildDependencies"));
        }
    }

    // Readable by all, owned by root: the host's modes, owners and user names stay on the host. (The unit's UMask=0027
    // made the daemon's files 0640, which the guest's unprivileged build user could not read.)
    private static void WriteFile(TarWriter writer, string file, string name)
    {
        using var data = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = File.GetLastWriteTimeUtc(file),
        });
    }

    /// <summary>The job description: "key value" lines the guest agent reads; values are checked here, not trusted there.</summary>
    internal static string Describe(VmJob job)
    {
        if (job.Parallel is < 1 or > 64)
        {
            throw new ArgumentException($"Parallel must be 1..64, was {job.Parallel}", nameof(job));
        }
        if (!BuildTypes.Contains(job.BuildType))
        {
            throw new ArgumentException($"BuildType must be one of {string.Join(", ", BuildTypes)}, was '{job.BuildType}'", nameof(job));
        }
        var text = new StringBuilder();
        void Line(string key, string value) => text.Append(CultureInfo.InvariantCulture, $"{key} {value}\n");
        text.Append("builder-job 1\n");
        Line("mode", job.Mode.ToString().ToLowerInvariant());
        Line("build", job.BuildId.ToString(CultureInfo.InvariantCulture));
        Line("parallel", job.Parallel.ToString(CultureInfo.InvariantCulture));
        Line("buildtype", job.BuildType);
        if (job.Gateway is not null)
        {
            Line("gateway", GuestGateway);
        }
        if (job.Mode == GuestMode.Build)
        {
            var dscs = job.SourceFiles.Where(f => f.EndsWith(".dsc", StringComparison.Ordinal)).ToList();
            if (dscs.Count != 1)
            {
                throw new ArgumentException($"SourceFiles must hold exactly one .dsc, found {dscs.Count}", nameof(job));
            }
            Line("dsc", CheckedName(dscs[0], "SourceFiles"));
        }
        if (job.Mode == GuestMode.Probe && job.ProbePorts.Count > 0)
        {
            if (job.ProbePorts.Any(p => p is < 1 or > 65535))
            {
                throw new ArgumentException("ProbePorts must be 1..65535", nameof(job));
            }
            Line("probe-ports", string.Join(' ', job.ProbePorts.Select(p => p.ToString(CultureInfo.InvariantCulture))));
        }
        if (job.Mode == GuestMode.Hostile)
        {
            if (job.HostileKind is null || !HostileKindPattern().IsMatch(job.HostileKind))
            {
                throw new ArgumentException($"HostileKind '{job.HostileKind}' is not a kind name", nameof(job));
            }
            Line("hostile", job.HostileKind);
        }
        if (job.Mode == GuestMode.ConnFlood)
        {
            if (job.FloodConnections is < 1 or > 4096 || job.FloodAnnounceMib is < 0 or > 1024)
            {
                throw new ArgumentException("FloodConnections must be 1..4096 and FloodAnnounceMib 0..1024", nameof(job));
            }
            Line("flood-connections", job.FloodConnections.ToString(CultureInfo.InvariantCulture));
            Line("flood-announce-mib", job.FloodAnnounceMib.ToString(CultureInfo.InvariantCulture));
        }
        if (job.Mode == GuestMode.Noisy)
        {
            if (job.FloodMib is < 0 or > 4096)
            {
                throw new ArgumentException($"FloodMib must be 0..4096, was {job.FloodMib}", nameof(job));
            }
            Line("flood-mib", job.FloodMib.ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static string CheckedName(string path, string what)
    {
        var name = Path.GetFileName(path);
        if (!PlainName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what}: '{name}' is not a plain Debian file name");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what}: {path} does not exist", path);
        }
        return name;
    }
}
