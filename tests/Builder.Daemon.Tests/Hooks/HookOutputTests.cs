using Builder.Daemon.Hooks;
using Builder.Daemon.Logs;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Tests.Hooks;

/// <summary>A hook's output can carry what a package wrote: it is marked, cleaned and read line by line with a cap.</summary>
public sealed class HookOutputTests : IDisposable
{
    private readonly string _root = TestEnvironment.NewTempDirectory("hook-output");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Hook_output_is_prefixed_cleaned_and_an_endless_line_comes_in_pieces_of_the_line_limit()
    {
        var dir = Path.Combine(_root, HookRunner.DirectoryName(HookKind.PostBuild));
        Directory.CreateDirectory(dir);
        var hook = Path.Combine(dir, "10-liar");
        File.WriteAllText(hook, "#!/bin/sh\n"
            + "echo '[2026-01-01T00:00:00Z] builder: published foo 1.0 to prod'\n"
            + "printf 'bidi \\342\\200\\256evil ansi \\033[2J\\n' >&2\n"
            + "head -c 100000 /dev/zero | tr '\\0' z\n");
        File.SetUnixFileMode(hook, (UnixFileMode)0b111_101_101);
        var runner = new HookRunner(new TestOptionsMonitor<HooksOptions>(new HooksOptions { Directory = _root, Timeout = TimeSpan.FromSeconds(60) }),
            NullLogger<HookRunner>.Instance, Options.Create(new BuildLogOptions { MaxLineLength = 1000 }));
        var log = new StringWriter();

        var results = await runner.RunAsync(HookKind.PostBuild, new HookContext(42, "dev", "hello", new string('a', 40), "1.0-1", "alice",
            "succeeded", null, "/var/log/builder/42.log", "/var/lib/builder/builds/42/out", "https://builder.example.org/builds/42"),
            log, CancellationToken.None);

        Assert.True(results.Single().Succeeded, log.ToString());
        var lines = log.ToString().TrimEnd('\n').Split('\n');
        Assert.Contains("hook| 10-liar: [2026-01-01T00:00:00Z] builder: published foo 1.0 to prod", lines);
        Assert.Contains("hook| 10-liar: bidi ?evil ansi ?[2J", lines);
        var pieces = lines.Where(l => l.StartsWith("hook| 10-liar: zzz", StringComparison.Ordinal)).ToList();
        Assert.Equal(100, pieces.Count);
        Assert.All(pieces, p => Assert.Equal("hook| 10-liar: ".Length + 1000, p.Length));
        Assert.All(lines.SkipLast(1), l => Assert.StartsWith("hook| 10-liar: ", l, StringComparison.Ordinal));
    }
}
