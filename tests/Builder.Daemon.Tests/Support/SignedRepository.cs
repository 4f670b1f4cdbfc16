using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Support;

/// <summary>
/// A reprepro repository signed with a fresh GnuPG key, one distribution per pocket, as the publisher lays it out;
/// packages are made with dpkg-deb. <see cref="Keyring"/> is the exported public key (what apt's signed-by reads).
/// </summary>
public sealed class SignedRepository : IDisposable
{
    private readonly string _work;

    public SignedRepository(params string[] distributions)
    {
        _work = TestEnvironment.NewTempDirectory("signed-repo");
        GnupgHome = Path.Combine(_work, "gnupg");
        Directory.CreateDirectory(GnupgHome);
        File.SetUnixFileMode(GnupgHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Fingerprint = NewKey(GnupgHome, "Test repository <repo@builder.test>");
        BaseDirectory = Path.Combine(_work, "apt");
        Directory.CreateDirectory(Path.Combine(BaseDirectory, "conf"));
        File.WriteAllText(Path.Combine(BaseDirectory, "conf", "distributions"), string.Concat(distributions.Select(d =>
            $"Codename: {d}\nComponents: main\nArchitectures: amd64 source\nSignWith: {Fingerprint}\n\n")));
        Reprepro("export");
        Keyring = Path.Combine(_work, "repository.gpg");
        TestProcess.Check("gpg", ["--batch", "--export", "--output", Keyring, Fingerprint], environment: Gpg);
        File.SetUnixFileMode(_work, (UnixFileMode)0b111_101_101);
    }

    public string BaseDirectory { get; }

    public string GnupgHome { get; }

    public string Fingerprint { get; }

    public string Keyring { get; }

    private Dictionary<string, string> Gpg => new() { ["GNUPGHOME"] = GnupgHome };

    /// <summary>Generates a signing key in <paramref name="home"/>; returns its fingerprint.</summary>
    public static string NewKey(string home, string uid)
    {
        var env = new Dictionary<string, string> { ["GNUPGHOME"] = home };
        TestProcess.Check("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never"], environment: env);
        return TestProcess.Check("gpg", ["--batch", "--with-colons", "--list-secret-keys"], environment: env)
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    /// <summary>Makes a binary package with dpkg-deb and includes it into <paramref name="distribution"/>; returns the .deb.</summary>
    public string Include(string distribution, string package, string version, string architecture = "all")
    {
        var deb = MakeDeb(Path.Combine(_work, "debs", distribution), package, version, architecture);
        Reprepro("--section", "misc", "--priority", "optional", "includedeb", distribution, deb);
        return deb;
    }

    public static string MakeDeb(string directory, string package, string version, string architecture)
    {
        var tree = Path.Combine(directory, $"{package}-tree");
        Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
        File.WriteAllText(Path.Combine(tree, "DEBIAN", "control"),
            $"Package: {package}\nVersion: {version}\nSection: misc\nPriority: optional\nArchitecture: {architecture}\nMaintainer: Test <test@example.org>\nDescription: test\n test\n");
        var deb = Path.Combine(directory, $"{package}_{version}_{architecture}.deb");
        TestProcess.Check("dpkg-deb", ["--root-owner-group", "-b", tree, deb]);
        return deb;
    }

    public string Reprepro(params string[] args) =>
        TestProcess.Check("reprepro", ["-b", BaseDirectory, .. args], environment: Gpg);

    public void Dispose() => TestProcess.Run("gpgconf", ["--homedir", GnupgHome, "--kill", "gpg-agent"]);
}
