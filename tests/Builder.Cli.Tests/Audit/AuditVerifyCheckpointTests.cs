using Builder.Cli.Audit;
using Builder.Tests.Common;

namespace Builder.Cli.Tests.Audit;

/// <summary>`builder audit verify --max-age` over a real Maildir with checkpoints, and with its newest mails deleted.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditVerifyCheckpointTests(AuditCheckpointMailboxFixture mailbox) : IClassFixture<AuditCheckpointMailboxFixture>
{
    [Fact]
    public async Task A_mailbox_with_checkpoints_is_intact_and_fresh()
    {
        var (code, output, error) = await RunAsync(mailbox.CopyMaildir(), "--cert", mailbox.CertificateFile, "--max-age", "2h");
        Assert.True(ExitCode.Ok == code, output + error);
        Assert.StartsWith("7 audit mails of 7 (seq 1-7); signer sha256 fingerprint ", output, StringComparison.Ordinal);
        Assert.EndsWith("intact\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mailbox_whose_newest_mails_were_deleted_is_stale_without_asking_the_server()
    {
        var (code, output, error) = await RunAsync(mailbox.CopyMaildir(6, 7), "--cert", mailbox.CertificateFile, "--max-age", "02:00:00");
        Assert.True(ExitCode.AuditTampered == code, output + error);
        // Seq 5 was written six hours before "now" plus two: 4 h and some minutes by the time this runs.
        Assert.Contains("\nstale: newest record seq 5 is 4 h ", output, StringComparison.Ordinal);
        Assert.EndsWith(" min old\nTAMPERED: 1 problem(s)\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_max_age_the_truncated_mailbox_verifies_as_before()
    {
        var (code, output, _) = await RunAsync(mailbox.CopyMaildir(6, 7), "--cert", mailbox.CertificateFile);
        Assert.Equal(ExitCode.Ok, code);
        Assert.EndsWith("intact\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("367d")]
    [InlineData("1h30m")]
    public async Task A_bad_max_age_is_a_usage_error_naming_the_option(string value)
    {
        var (code, _, error) = await RunAsync(mailbox.CopyMaildir(), "--max-age", value);
        Assert.Equal(ExitCode.Usage, code);
        Assert.Equal($"--max-age: '{value}' is not a positive duration such as 90m, 2h, 1d or hh:mm:ss (at most 366 days)\n", error);
    }

    private static async Task<(ExitCode Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await AuditVerifyCommand.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return ((ExitCode)code, output.ToString(), error.ToString());
    }
}
