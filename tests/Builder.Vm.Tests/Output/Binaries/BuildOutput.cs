using System.Security.Cryptography;
using Builder.Core.Debian;
using Builder.Tests.Common;
using Builder.Vm.Output.Binaries;

namespace Builder.Vm.Tests.Output.Binaries;

/// <summary>
/// A build's output directory made the way a guest makes it: real packages from dpkg-deb, registered in
/// debian/files like dpkg-distaddfile does, and a .changes written by dpkg-genchanges from a source tree beside them.
/// </summary>
internal sealed class BuildOutput
{
    private readonly string _tree;
    private readonly string _control;

    public BuildOutput(string root, string control, string source = "trojan", string version = "1.0")
    {
        Directory = Path.Combine(root, "out-" + Guid.NewGuid().ToString("N"));
        _tree = Path.Combine(Directory, "src");
        System.IO.Directory.CreateDirectory(Path.Combine(_tree, "debian"));
        _control = control;
        Source = source;
        Version = version;
        File.WriteAllText(Path.Combine(_tree, "debian", "control"), control);
        File.WriteAllText(Path.Combine(_tree, "debian", "changelog"), $"""
            {source} ({version}) unstable; urgency=medium

              * Test.

             -- Jane Doe <jane@example.org>  Mon, 23 Nov 2026 10:00:00 +0000

            """);
    }

    public string Directory { get; }

    public string Source { get; }

    public string Version { get; }

    /// <summary>The changes file dpkg-genchanges writes for an amd64 binary build.</summary>
    public string ChangesName => $"{Source}_{DebianVersion.Parse(Version).WithoutEpoch}_amd64.changes";

    /// <summary>Control text of a binary package.</summary>
    public static string Package(string package, string version = "1.0", string architecture = "amd64", string extra = "") =>
        $"Package: {package}\nVersion: {version}\nArchitecture: {architecture}\nMaintainer: Jane Doe <jane@example.org>\n{extra}Description: test\n test\n";

    /// <summary>Builds a package into the output and registers it in debian/files (unless <paramref name="register"/> is false).</summary>
    public BuildOutput Add(string fileName, string control, string section = "misc", bool automatic = false, bool register = true)
    {
        TestDebs.Build(Directory, fileName, control);
        if (register)
        {
            File.AppendAllText(Path.Combine(_tree, "debian", "files"), $"{fileName} {section} optional{(automatic ? " automatic=yes" : "")}\n");
        }
        return this;
    }

    /// <summary>Runs dpkg-genchanges for a binary-only upload; returns the .changes path.</summary>
    public string GenerateChanges()
    {
        var path = Path.Combine(Directory, ChangesName);
        TestProcess.Check("dpkg-genchanges", ["-b", $"-O{path}"], _tree);
        return path;
    }

    /// <summary>The files of the output (not the source tree), as the extractor reports them.</summary>
    public List<VmArtifact> Artifacts() =>
        [.. System.IO.Directory.EnumerateFiles(Directory).Order(StringComparer.Ordinal).Select(path =>
        {
            var bytes = File.ReadAllBytes(path);
            return new VmArtifact(Path.GetFileName(path), path, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        })];

    public BinaryExpectation Expectation(string buildArchitecture = "amd64") =>
        new(Source, DebianVersion.Parse(Version), buildArchitecture, DebianControl.ParseSource(_control).Binaries);

    public BinaryCheckResult Check(string buildArchitecture = "amd64") => BinaryOutputChecker.Check(Expectation(buildArchitecture), Artifacts());
}
