namespace Builder.Cli.Tests.Commands;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_exit_code()
    {
        var (code, output, _) = await CliRunner.RunAsync("--help");
        Assert.Equal(0, code);
        foreach (var exit in Enum.GetValues<ExitCode>())
        {
            Assert.Contains(exit, ExitCodeHelp.Documented);
            Assert.Contains($"  {(int)exit,2}  ", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("submit", "dev")]
    [InlineData("frobnicate")]
    [InlineData("status", "notanumber")]
    public async Task Bad_command_lines_exit_with_2(params string[] args)
    {
        var (code, _, error) = await CliRunner.RunAsync(args);
        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Contains("see 'builder --help'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dev", "hello", "'Dev' is not a valid pocket name")]
    [InlineData("dev", "Hello!", "'Hello!' is not a valid package name")]
    public async Task Submit_checks_names_before_signing(string pocket, string package, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("submit", pocket, package, "--url", "http://127.0.0.1:9", "--user", "alice", "--key", "/dev/null");
        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_with_an_abbreviated_commit_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("submit", "dev", "hello", "9f1c2e", "--url", "http://127.0.0.1:9", "--user", "alice", "--key", "/dev/null");
        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Contains("full 40-character", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_server_exits_with_4()
    {
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        var (code, _, error) = await CliRunner.RunAsync("queue", "--url", "http://127.0.0.1:9");
        Assert.Equal((int)ExitCode.Unreachable, code);
        Assert.Contains("cannot reach http://127.0.0.1:9/", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_key_file_is_a_configuration_error_naming_it()
    {
        var (code, _, error) = await CliRunner.RunAsync("submit", "dev", "hello", "--url", "http://127.0.0.1:9", "--user", "alice", "--key", "/nonexistent/id_ed25519");
        Assert.Equal((int)ExitCode.Config, code);
        Assert.Contains("key file /nonexistent/id_ed25519 does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("status")]
    [InlineData("queue")]
    [InlineData("cancel")]
    [InlineData("log")]
    [InlineData("acl", "check")]
    [InlineData("audit", "verify")]
    public async Task Every_command_has_help(params string[] command)
    {
        var (code, output, _) = await CliRunner.RunAsync([.. command, "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains(string.Join(' ', command), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_verify_of_a_missing_mailbox_is_unreadable()
    {
        var (code, _, error) = await CliRunner.RunAsync("audit", "verify", "/nonexistent/Maildir");
        Assert.Equal((int)ExitCode.AuditUnreadable, code);
        Assert.Contains("/nonexistent/Maildir", error, StringComparison.Ordinal);
    }
}
