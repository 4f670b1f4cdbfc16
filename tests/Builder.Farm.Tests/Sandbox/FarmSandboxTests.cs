using System.Net;
using System.Net.Sockets;
using System.Text;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Sandbox;

/// <summary>
/// The per-job sandbox on the farm host (ops/farm/builder-farm-cc under bubblewrap), with jobs sent straight to a
/// real distccd that runs it, bypassing the gateway: what a job that got past the gateway's checks can still reach.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class FarmSandboxTests(OwnFarm farm) : IClassFixture<OwnFarm>
{
    private int Port => farm.First.Port;

    [Fact]
    public async Task Objects_compiled_in_the_sandbox_by_the_real_client_are_byte_identical_to_direct_gcc_and_with_debug_info_to_plain_distccd()
    {
        var dir = FarmTestEnvironment.NewDirectory("sandbox-same");
        await File.WriteAllTextAsync(Path.Combine(dir, "u.c"), "#include <stdio.h>\nstatic int k = 3;\nint u(int x) { printf(\"%d\\n\", x); return x * k + __LINE__; }\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "v.cc"), "#include <vector>\nint v(int n) { std::vector<int> a(n, 2); int s = 0; for (int x : a) s += x; return s; }\n");
        await using var plain = await DistccdProcess.StartAsync(farm.Directory, "plain-" + Guid.NewGuid().ToString("N")[..6], plain: true);

        foreach (var (compiler, unit) in new[] { ("gcc", "u.c"), ("g++", "v.cc") })
        {
            string[] flags = ["-O2", "-fstack-protector-strong", "-Wall", "-c", unit];
            await CompileAsync(dir, Port, compiler, [.. flags, "-o", unit + ".farm.o"]);
            await TestProcess.CheckAsync(compiler, [.. flags, "-o", unit + ".direct.o"], dir);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(dir, unit + ".direct.o")), await File.ReadAllBytesAsync(Path.Combine(dir, unit + ".farm.o")));

            // With -g, distcc's objects differ from a local compile's in the line table with or without the sandbox;
            // the sandbox adds no difference of its own.
            string[] debug = ["-g", .. flags];
            await CompileAsync(dir, Port, compiler, [.. debug, "-o", unit + ".farm-g.o"]);
            await CompileAsync(dir, plain.Port, compiler, [.. debug, "-o", unit + ".plain-g.o"]);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(dir, unit + ".plain-g.o")), await File.ReadAllBytesAsync(Path.Combine(dir, unit + ".farm-g.o")));
        }
    }

    private static async Task CompileAsync(string dir, int port, string compiler, string[] args)
    {
        var env = DistccClient.Environment(port, Path.Combine(dir, ".distcc"));
        env["DISTCC_HOSTS"] = $"127.0.0.1:{port}/2";
        var r = await TestProcess.RunAsync("distcc", [compiler, .. args], dir, env);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task A_gcm_cache_module_written_by_one_job_is_absent_for_the_next()
    {
        // Without the sandbox both jobs run in distccd's one /tmp: the second imports the first's gcm.cache/m.gcm.
        var module = "m" + Guid.NewGuid().ToString("N")[..8];
        var planted = await DirectJob.RunAsync(Port, ["x86_64-linux-gnu-g++-12", "-fmodules-ts", "-c", "m.cc", "-o", "m.o"],
            $"# 1 \"m.cc\"\nexport module {module};\nexport int planted() {{ return 1; }}\n");
        var importer = await DirectJob.RunAsync(Port, ["x86_64-linux-gnu-g++-12", "-fmodules-ts", "-c", "u.cc", "-o", "u.o"],
            $"# 1 \"u.cc\"\nimport {module};\nint victim() {{ return planted(); }}\n");

        Assert.True(planted.Compiled, "the module unit compiles (and writes gcm.cache/ inside its own sandbox): " + planted);
        Assert.False(importer.Compiled, importer.ToString());
        Assert.Contains("failed to read compiled module", importer.Stderr, StringComparison.Ordinal);
        Assert.Contains($"gcm.cache/{module}.gcm", importer.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists($"/tmp/gcm.cache/{module}.gcm"), "nothing of the job is left in distccd's /tmp");
    }

    [Fact]
    public async Task Incbin_of_host_secrets_and_of_distccd_s_own_files_gets_nothing()
    {
        var token = "canary-" + Guid.NewGuid().ToString("N");
        // Files user distccd could read without the sandbox: world-readable ones in /tmp (distccd's TMPDIR) and /home.
        Directory.CreateDirectory("/home");
        string[] canaries = [$"/tmp/builder-{token}", $"/home/builder-{token}", $"/root/builder-{token}"];
        foreach (var c in canaries)
        {
            await File.WriteAllTextAsync(c, token);
            File.SetUnixFileMode(c, (UnixFileMode)0b110_100_100);
        }
        try
        {
            foreach (var path in canaries.Concat(["/etc/shadow", "/etc/passwd", "/proc/1/environ", "/proc/self/environ", "/proc/self/mountinfo", farm.First.LogFile]))
            {
                var job = await DirectJob.IncbinAsync(Port, path);

                Assert.False(job.Compiled, $"{path}: {job}");
                Assert.Contains($"file not found: {path}", job.Stderr, StringComparison.Ordinal);
            }
            // The same job with a file that is inside: its own input is there, so .incbin itself works.
            var own = await DirectJob.IncbinAsync(Port, "/usr/share/common-licenses/GPL-3");
            Assert.True(own.Compiled, own.ToString());
        }
        finally
        {
            foreach (var c in canaries)
            {
                File.Delete(c);
            }
        }
    }

    [Fact]
    public async Task A_job_sees_nothing_of_a_concurrent_job_neither_its_process_nor_its_files()
    {
        var token = "slow" + Guid.NewGuid().ToString("N")[..10];
        // A few seconds of constexpr evaluation keep the first job's cc1plus alive while the second one looks for it.
        var slow = DirectJob.RunAsync(Port, ["x86_64-linux-gnu-g++-12", "-O0", "-c", token + ".cc", "-o", token + ".o"],
            $"# 1 \"{token}.cc\"\nconstexpr unsigned long spin(unsigned long k) {{ unsigned long s = k; for (unsigned long i = 0; i < 1500; i++) for (unsigned long j = 0; j < 500; j++) s = s * 31 + (i ^ j); return s; }}\n"
            + $"constexpr unsigned long a1 = spin(1), a2 = spin(2);\nint {token}() {{ return (int)(a1 + a2); }}\n");
        var (pid, input) = await FindCompilerOfAsync(token, slow);

        string[] paths = [$"/proc/{pid}/cmdline", $"/proc/{pid}/environ", $"/proc/{pid}/fd/0", $"/proc/{pid}/root{input}", input];
        var probes = new List<(string Path, DirectJob Job)>();
        foreach (var path in paths)
        {
            probes.Add((path, await DirectJob.IncbinAsync(Port, path)));
        }
        var stillRunning = !slow.IsCompleted;
        var done = await slow;

        Assert.True(stillRunning, "the slow job was still running while the probes ran");
        Assert.True(done.Compiled, done.ToString());
        Assert.All(probes, p =>
        {
            Assert.False(p.Job.Compiled, $"{p.Path}: {p.Job}");
            Assert.Contains($"file not found: {p.Path}", p.Job.Stderr, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Code_running_in_the_sandbox_has_no_network_and_sees_only_usr_and_its_own_two_files()
    {
        // The wrapper run directly, through a symlink named like a program in /usr/bin (distccd would only run
        // masqueraded compiler names): this stands for a compiler an input managed to take over.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var dir = FarmTestEnvironment.NewDirectory("sandbox-shell");
        var shell = Path.Combine(dir, "bash");
        File.CreateSymbolicLink(shell, Path.Combine(Path.GetDirectoryName(FarmTestEnvironment.FarmCcPath())!, "builder-farm-cc"));
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
        string input = $"/tmp/distccd_{id}.i", output = $"/tmp/distccd_{id}.o";
        await TestProcess.CheckAsync("runuser", ["-u", "distccd", "--", "touch", input, output]);
        const string Script = """
            if exec 3<>/dev/tcp/127.0.0.1/$PORT; then echo CONNECTED; fi
            for d in / /tmp /etc /proc /home /root /sys; do echo "$d: $(ls -A "$d" 2>&1 | tr '\n' ' ')"; done
            echo written > "$2"
            """;
        try
        {
            var r = await TestProcess.RunAsync("runuser", ["-u", "distccd", "--", "env", "TMPDIR=/tmp", shell,
                "-c", Script.Replace("$PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), input, "-o", output]);
            var accepted = listener.Pending();

            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.DoesNotContain("CONNECTED", r.Output, StringComparison.Ordinal);
            Assert.False(accepted, "the host's loopback listener got a connection");
            var seen = r.Output.Split('\n').Where(l => l.StartsWith('/')).ToList();
            Assert.Equal(
            [
                "/: bin dev etc job lib lib64 sbin tmp usr ",
                $"/tmp: distccd_{id}.i distccd_{id}.o ",
                "/etc: ld.so.cache ",
                "/proc: ls: cannot access '/proc': No such file or directory ",
                "/home: ls: cannot access '/home': No such file or directory ",
                "/root: ls: cannot access '/root': No such file or directory ",
                "/sys: ls: cannot access '/sys': No such file or directory ",
            ], seen);
            Assert.Equal("written\n", await File.ReadAllTextAsync(output));
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    /// <summary>The host pid of the cc1plus compiling the job whose source holds <paramref name="token"/>, and its input.</summary>
    private static async Task<(int Pid, string Input)> FindCompilerOfAsync(string token, Task running)
    {
        for (var i = 0; i < 600 && !running.IsCompleted; i++)
        {
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out var pid))
                {
                    continue;
                }
                string[] argv;
                try
                {
                    argv = (await File.ReadAllTextAsync(Path.Combine(proc, "cmdline"))).Split('\0');
                }
                catch (IOException)
                {
                    continue;
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }
                if (argv.Length > 0 && argv[0].EndsWith("cc1plus", StringComparison.Ordinal)
                    && argv.FirstOrDefault(a => a.StartsWith("/tmp/distccd_", StringComparison.Ordinal)) is { } input
                    && File.Exists(input) && (await File.ReadAllTextAsync(input)).Contains(token, StringComparison.Ordinal))
                {
                    return (pid, input);
                }
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"no cc1plus compiling {token} showed up (the job finished: {running.IsCompleted})");
    }
}
