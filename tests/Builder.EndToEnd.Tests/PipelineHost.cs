using Builder.Daemon.Tests.Support;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// builderd with the whole pipeline on: the real SMTP server (aiosmtpd Maildir), the VM image and qemu, two distccd
/// behind the farm gateway, reprepro with a GnuPG key, and the demo package (ops/demo/builder-hello) in a git
/// repository with branches main and dev. A hook in each hooks directory records what the hook contract hands it
/// (<see cref="HookRecord"/>).
/// </summary>
public class PipelineHost : DaemonHost
{
    /// <summary>Where the SMTP server the daemon mails to stores what it accepted.</summary>
    public virtual string Maildir => TestEnvironment.Require("BUILDER_TEST_SMTP_MAILDIR");

    /// <summary>host:port of that SMTP server.</summary>
    protected virtual string SmtpEndpoint => TestEnvironment.Require("BUILDER_TEST_SMTP");

    /// <summary>
    /// The sender of this daemon's mails (audit records and notifications): unique per host, because every daemon of
    /// a test run mails into the same Maildir and build ids start at 1 in each test database.
    /// </summary>
    public string MailFrom { get; } = $"builder-{Guid.NewGuid():N}"[..16] + "@builder.test";

    /// <summary>This daemon's mails in <see cref="Maildir"/>.</summary>
    public Mailbox Mailbox => new(Maildir, MailFrom);

    public string AptDirectory => Path.Combine(Root, "apt");

    public string GitDirectory => Path.Combine(Root, "git");

    /// <summary>The demo package's bare repository.</summary>
    public string PackageRepository => Path.Combine(GitDirectory, "builder-hello.git");

    public string GnupgHome => Path.Combine(Root, "secrets", "gnupg");

    public string VmDirectory => Path.Combine(Root, "vm");

    public string HooksDirectory => Path.Combine(Root, "hooks");

    /// <summary>Where the recording hook writes <c>BUILD.KIND</c> files (KIND: pre-build, post-build, failed-build).</summary>
    public string HookRecords => Path.Combine(Root, "hook-records");

    /// <summary>What the recording hook saw when it ran as <paramref name="kind"/> for the build, or null if it did not run.</summary>
    public string? HookRecord(long buildId, string kind)
    {
        var path = Path.Combine(HookRecords, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{buildId}.{kind}"));
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>
    /// Waits for the recording hook's file: hooks run last, after the final transition, the build-end record and the
    /// notification.
    /// </summary>
    public async Task<string> WaitForHookRecordAsync(long buildId, string kind)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (HookRecord(buildId, kind) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the {kind}.d hook did not run for build {buildId}");
            await Task.Delay(250);
        }
        return HookRecord(buildId, kind)!;
    }

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        var smtp = SmtpEndpoint.Split(':');
        var image = TestEnvironment.Require("BUILDER_TEST_IMAGE");
        var farm = TestEnvironment.Require("BUILDER_TEST_DISTCCD").Split(',');

        TestProcess.Check(Path.Combine(TestEnvironment.RepositoryRoot, "ops", "lib", "demo-repo.sh"), [GitDirectory, "builder-hello"]);

        var secrets = Path.Combine(Root, "secrets");
        Directory.CreateDirectory(secrets);
        TestProcess.Check("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=builder audit/emailAddress=audit@builder.test",
            "-addext", "keyUsage=critical,digitalSignature", "-addext", "extendedKeyUsage=emailProtection",
            "-keyout", Path.Combine(secrets, "audit.key"), "-out", Path.Combine(secrets, "audit.pem")]);
        var gnupg = GnupgHome;
        Directory.CreateDirectory(gnupg);
        File.SetUnixFileMode(gnupg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var gpgEnv = new Dictionary<string, string> { ["GNUPGHOME"] = gnupg };
        TestProcess.Check("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "Builder Repository <repo@builder.test>", "ed25519", "sign", "never"], environment: gpgEnv);
        var fingerprint = TestProcess.Check("gpg", ["--batch", "--with-colons", "--list-secret-keys"], environment: gpgEnv)
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];

        // Each VM runs under its own build uid: its per-build directory must be reachable for it.
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
            ["Audit:From"] = MailFrom,
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
            ["Vm:Timeout"] = "00:25:00",
            ["Apt:BaseDirectory"] = AptDirectory,
            ["Apt:SignWith"] = fingerprint,
            ["Apt:GnupgHome"] = gnupg,
            ["BuildDeps:CacheDirectory"] = Path.Combine(Root, "apt-cache"),
            ["Pipeline:WorkDirectory"] = Path.Combine(Root, "builds"),
            ["Pipeline:RequesterAddress"] = "{requester}@builder.test",
            ["Pipeline:Parallel"] = "4",
            ["Pockets:dev:NotifyTo:0"] = "dev-list@builder.test",
            // The demo's commit reaches prod by copy: its build-deps are all in the image or from the mirror.
            ["Pockets:prod:CopyFrom:0"] = "dev",
            ["Hooks:Directory"] = HooksDirectory,
        };
        InstallRecordingHooks();
        for (var i = 0; i < farm.Length; i++)
        {
            settings[$"Farm:Hosts:{i}"] = farm[i] + "/2";
        }
        return await Task.FromResult(settings);
    }

    /// <summary>
    /// The same script in pre-build.d, post-build.d and failed-build.d: it writes its arguments, its whole environment
    /// and the bytes on its stdin to HookRecords/BUILD.KIND, so tests can hold the hooks to DESIGN.md's contract.
    /// </summary>
    private void InstallRecordingHooks()
    {
        Directory.CreateDirectory(HookRecords);
        foreach (var kind in new[] { "pre-build", "post-build", "failed-build" })
        {
            var dir = Path.Combine(HooksDirectory, kind + ".d");
            Directory.CreateDirectory(dir);
            var script = Path.Combine(dir, "10-record");
            File.WriteAllText(script, $$"""
                #!/bin/sh
                out="{{HookRecords}}/$BUILDER_BUILD_ID.{{kind}}"
                {
                  echo "argc $#"
                  echo "stdin $(wc -c)"
                  env | LC_ALL=C sort
                } > "$out.tmp"
                mv "$out.tmp" "$out"
                echo "recorded the environment of build $BUILDER_BUILD_ID"

                """);
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
            // Not a hook: the name does not match [A-Za-z0-9_-]+, so it must never run.
            File.WriteAllText(Path.Combine(dir, "20-never.sh"), $"#!/bin/sh\ntouch '{HookRecords}/never'\n");
            File.SetUnixFileMode(Path.Combine(dir, "20-never.sh"), (UnixFileMode)0b111_101_101);
        }
    }
}
