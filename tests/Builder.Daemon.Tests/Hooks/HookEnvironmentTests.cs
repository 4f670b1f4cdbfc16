using Builder.Daemon.Hooks;
using Builder.Tests.Common;
using Builder.Tests.Common.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Daemon.Tests.Hooks;

/// <summary>A hook that records its whole environment, run by the real runner while the daemon's environment holds plants.</summary>
[Collection(PlantedEnvironmentCollection.Name)]
public sealed class HookEnvironmentTests
{
    private readonly string _root = TestEnvironment.NewTempDirectory("hook-env");

    [Fact]
    public async Task A_hook_gets_exactly_PATH_LANG_HOME_and_the_BUILDER_variables_and_nothing_of_the_daemons_environment()
    {
        var records = Path.Combine(_root, "records");
        Directory.CreateDirectory(Path.Combine(_root, "post-build.d"));
        EnvironmentRecorder.Write(Path.Combine(_root, "post-build.d", "10-record"), records);
        var runner = new HookRunner(new TestOptionsMonitor<HooksOptions>(new HooksOptions { Directory = _root }), NullLogger<HookRunner>.Instance);
        var context = new HookContext(42, "dev", "hello", new string('a', 40), "1.0-1", "alice", "succeeded", null,
            "/var/log/builder/42.log", "/var/lib/builder/builds/42/out", "https://builder.example.org/builds/42");
        var log = new StringWriter();

        using (new PlantedEnvironment(new Dictionary<string, string> { ["HOME"] = "/nonexistent/daemon-home" }))
        {
            Assert.True((await runner.RunAsync(HookKind.PostBuild, context, log, CancellationToken.None)).Single().Succeeded, log.ToString());
        }

        var env = EnvironmentRecorder.Read(records).Single();
        var expected = new Dictionary<string, string>(context.Environment(), StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["LANG"] = "C.UTF-8",
            // The home of the daemon's user as the account database has it, not the HOME of its environment.
            ["HOME"] = PasswdHome(),
        };
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), env.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    private static string PasswdHome() =>
        TestProcess.Check("getent", ["passwd", TestProcess.Check("id", ["-u"])]).Split(':')[5];
}
