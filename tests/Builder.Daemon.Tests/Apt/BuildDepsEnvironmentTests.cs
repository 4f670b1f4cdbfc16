using Builder.Daemon.Apt;
using Builder.Tests.Common;
using Builder.Tests.Common.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Tests.Apt;

/// <summary>
/// A fake apt-get first on the daemon's PATH (the resolver runs the apt-get found there) records the environment of
/// every run the real resolver makes, while the daemon's environment holds plants.
/// </summary>
[Collection(PlantedEnvironmentCollection.Name)]
public sealed class BuildDepsEnvironmentTests
{
    private readonly string _work = TestEnvironment.NewTempDirectory("build-deps-env");

    [Fact]
    public async Task Apt_gets_exactly_the_fixed_PATH_LANG_its_frontend_and_its_private_configuration_and_nothing_of_the_daemons_environment()
    {
        var fakes = Path.Combine(_work, "bin");
        var records = Path.Combine(_work, "records");
        Directory.CreateDirectory(fakes);
        EnvironmentRecorder.Write(Path.Combine(fakes, "apt-get"), records);
        var options = new BuildDepsOptions { CacheDirectory = Path.Combine(_work, "cache"), Proxy = "http://proxy.builder.test:3128/" };
        var resolver = new BuildDepsResolver(Options.Create(options), NullLogger<BuildDepsResolver>.Instance);
        var daemonPath = $"{fakes}:{Environment.GetEnvironmentVariable("PATH")}";

        using (new PlantedEnvironment(new Dictionary<string, string> { ["PATH"] = daemonPath, ["APT_CONFIG"] = "/tmp/x/apt.conf", ["DEBIAN_FRONTEND"] = "readline",
            ["http_proxy"] = "http://daemon-proxy.invalid:1/" }))
        {
            // The fake plans nothing, so the resolver stops after the update and the simulation.
            Assert.Empty(await resolver.ResolveAsync(Path.Combine(_work, "hello_1.0.dsc"), "/var/lib/dpkg/status", [], Path.Combine(_work, "job"), CancellationToken.None));
        }

        var runs = EnvironmentRecorder.Read(records);
        Assert.Equal(2, runs.Count);
        foreach (var env in runs)
        {
            Assert.Equal(["APT_CONFIG", "DEBIAN_FRONTEND", "LANG", "PATH"], env.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("/usr/sbin:/usr/bin:/sbin:/bin", env["PATH"]);
            Assert.Equal("C.UTF-8", env["LANG"]);
            Assert.Equal("noninteractive", env["DEBIAN_FRONTEND"]);
            Assert.StartsWith(options.CacheDirectory + "/", env["APT_CONFIG"], StringComparison.Ordinal);
            Assert.EndsWith("/etc/apt/apt.conf", env["APT_CONFIG"], StringComparison.Ordinal);
            // The proxy is BuildDeps:Proxy, in the private apt.conf; the daemon's http_proxy went nowhere.
            Assert.Equal("Acquire::http::Proxy \"http://proxy.builder.test:3128/\";\nAcquire::https::Proxy \"http://proxy.builder.test:3128/\";\n",
                File.ReadAllText(env["APT_CONFIG"]));
        }
    }
}
