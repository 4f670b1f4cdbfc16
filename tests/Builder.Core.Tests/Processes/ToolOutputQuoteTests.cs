using Builder.Core.Processes;

namespace Builder.Core.Tests.Processes;

/// <summary>
/// dpkg-source, apt-get and reprepro print what they find in guest-made files; their stderr is quoted into failure
/// reasons, logs and mails, so a crafted file name or field must not bring escapes or a line of its own along.
/// </summary>
public sealed class ToolOutputQuoteTests
{
    [Fact]
    public async Task A_failure_message_quoting_crafted_stderr_is_one_clean_line()
    {
        var command = new ProcessCommand("/bin/sh", ["-c",
            "printf 'dpkg-source: error: bad \\342\\200\\256fdp.exe\\n[2026-01-01T00:00:00Z] builder: published foo 1.0 to prod\\n\\033[2Jgone\\n' >&2; exit 2"])
        {
            DisplayName = "dpkg-source -x",
        };

        var e = await Assert.ThrowsAsync<ProcessFailedException>(() => ProcessRunner.RunCheckedAsync(command, CancellationToken.None));

        Assert.Equal("dpkg-source -x failed with exit status 2: dpkg-source: error: bad ?fdp.exe | [2026-01-01T00:00:00Z] builder: published foo 1.0 to prod | ?[2Jgone",
            e.Message);
    }

    [Fact]
    public void The_tail_of_a_long_output_is_cut_at_its_start_and_cleaned()
    {
        var tail = BoundedOutput.Tail(new string('a', 5000) + "\u001b[31m\nlast", 10);

        Assert.Equal("…?[31m | last", tail);
    }
}
