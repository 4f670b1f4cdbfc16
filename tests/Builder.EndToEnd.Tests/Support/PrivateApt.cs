using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>
/// apt as a user of the published repository runs it, but confined to a directory: its own sources.list (and no
/// sources.list.d, so none of the host's sources), lists, cache and dpkg database, and packages installed into a
/// private root. The dpkg database starts as a copy of the host's, so dependencies such as libc6 count as installed.
/// </summary>
public sealed class PrivateApt
{
    private readonly string _dir;

    public PrivateApt(string sourcesLine)
    {
        _dir = TestEnvironment.NewTempDirectory("apt-client");
        Root = Path.Combine(_dir, "root");
        foreach (var d in new[] { "state/lists/partial", "cache/archives/partial", "empty", "root/var/lib/dpkg/info", "root/var/lib/dpkg/updates" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, d));
        }
        File.Copy("/var/lib/dpkg/status", Path.Combine(Root, "var/lib/dpkg/status"));
        File.WriteAllText(Path.Combine(_dir, "sources.list"), sourcesLine + "\n");
    }

    /// <summary>The directory packages are installed into.</summary>
    public string Root { get; }

    public TestProcess.Result Update() => Run("update");

    public TestProcess.Result Install(string package) =>
        // dpkg installs into the private root and keeps its database there (--root implies --admindir).
        Run("-y", "-o", "DPkg::Options::=--root=" + Root, "install", package);

    private TestProcess.Result Run(params string[] args) => TestProcess.Run("apt-get",
    [
        "-o", "Dir::Etc::sourcelist=" + Path.Combine(_dir, "sources.list"),
        "-o", "Dir::Etc::sourceparts=" + Path.Combine(_dir, "empty"),
        "-o", "Dir::Etc::preferencesparts=" + Path.Combine(_dir, "empty"),
        "-o", "Dir::State=" + Path.Combine(_dir, "state"),
        "-o", "Dir::Cache=" + Path.Combine(_dir, "cache"),
        "-o", "Dir::State::status=" + Path.Combine(Root, "var/lib/dpkg/status"),
        // The repository is a local directory the download sandbox user may not be able to read.
        "-o", "APT::Sandbox::User=root",
        .. args,
    ], environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive", ["LC_ALL"] = "C.UTF-8" });
}
