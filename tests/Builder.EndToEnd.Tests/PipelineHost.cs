using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// builderd with the whole pipeline on: the real SMTP server (aiosmtpd Maildir), the VM image and qemu, two distccd
/// behind the farm gateway, reprepro with a GnuPG key, and the demo package (ops/demo/builder-hello) in a git
/// repository with branches main and dev.
/// </summary>
public class PipelineHost : DaemonHost
{
    public string Maildir { get; } = TestEnvironment.Require("BUILDER_TEST_SMTP_MAILDIR");

    public string AptDirectory => Path.Combine(Root, "apt");

    public string GitDirectory => Path.Combine(Root, "git");

    public string VmDirectory => Path.Combine(Root, "vm");

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        var smtp = TestEnvironment.Require("BUILDER_TEST_SMTP").Split(':');
        var image = TestEnvironment.Require("BUILDER_TEST_IMAGE");
        var vmUser = TestEnvironment.Require("BUILDER_TEST_VM_USER");
        var farm = TestEnvironment.Require("BUILDER_TEST_DISTCCD").Split(',');

        TestProcess.Check(Path.Combine(TestEnvironment.RepositoryRoot, "ops", "lib", "demo-repo.sh"), [GitDirectory, "builder-hello"]);

        var secrets = Path.Combine(Root, "secrets");
        Directory.CreateDirectory(secrets);
        TestProcess.Check("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=builder audit/emailAddress=audit@builder.test",
            "-addext", "keyUsage=critical,digitalSignature", "-addext", "extendedKeyUsage=emailProtection",
            "-keyout", Path.Combine(secrets, "audit.key"), "-out", Path.Combine(secrets, "audit.pem")]);
        var gnupg = Path.Combine(secrets, "gnupg");
        Directory.CreateDirectory(gnupg);
        File.SetUnixFileMode(gnupg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var gpgEnv = new Dictionary<string, string> { ["GNUPGHOME"] = gnupg };
        TestProcess.Check("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "Builder Repository <repo@builder.test>", "ed25519", "sign", "never"], environment: gpgEnv);
        var fingerprint = TestProcess.Check("gpg", ["--batch", "--with-colons", "--list-secret-keys"], environment: gpgEnv)
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];

        // The VM runs as an unprivileged user: its per-build directories must be reachable for it.
        var vmDir = VmDirectory;
        Directory.CreateDirectory(vmDir);
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(vmDir, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);

        var settings = new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "true",
            ["Scheduler:DispatchInterval"] = "00:00:01",
            ["Scheduler:HeartbeatInterval"] = "00:00:02",
            ["Scheduler:DeadAfter"] = "00:00:10",
            ["Scheduler:ClusterName"] = "builder-" + Guid.NewGuid().ToString("N")[..8],
            ["Packages:MirrorDirectory"] = Path.Combine(Root, "mirrors"),
            ["Packages:TaggerName"] = "Builder Test",
            ["Packages:TaggerEmail"] = "builder@builder.test",
            ["Audit:Smtp:Host"] = smtp[0],
            ["Audit:Smtp:Port"] = smtp[1],
            ["Audit:Smtp:Tls"] = "None",
            ["Audit:From"] = "builder@builder.test",
            ["Audit:To:0"] = "audit@offsite.test",
            ["Audit:AlertTo:0"] = "admin@builder.test",
            ["Audit:SigningCertificateFile"] = Path.Combine(secrets, "audit.pem"),
            ["Audit:SigningKeyFile"] = Path.Combine(secrets, "audit.key"),
            ["Audit:HostName"] = "builder-test",
            ["Audit:RetryBase"] = "00:00:02",
            ["Audit:RetryCap"] = "00:00:05",
            ["Audit:RetryJitter"] = "00:00:00",
            ["Vm:ImageDirectory"] = image,
            ["Vm:WorkDirectory"] = vmDir,
            ["Vm:RunAs"] = vmUser,
            ["Vm:Timeout"] = "00:25:00",
            ["Apt:BaseDirectory"] = AptDirectory,
            ["Apt:SignWith"] = fingerprint,
            ["Apt:GnupgHome"] = gnupg,
            ["BuildDeps:CacheDirectory"] = Path.Combine(Root, "apt-cache"),
            ["Pipeline:WorkDirectory"] = Path.Combine(Root, "builds"),
            ["Pipeline:RequesterAddress"] = "{requester}@builder.test",
            ["Pipeline:Parallel"] = "4",
            ["Pockets:dev:NotifyTo:0"] = "dev-list@builder.test",
        };
        for (var i = 0; i < farm.Length; i++)
        {
            settings[$"Farm:Hosts:{i}"] = farm[i] + "/2";
        }
        return await Task.FromResult(settings);
    }
}
