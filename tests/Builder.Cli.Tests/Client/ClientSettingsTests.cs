using Builder.Cli.Client;
using Builder.Tests.Common;

namespace Builder.Cli.Tests.Client;

public sealed class ClientSettingsTests
{
    [Fact]
    public void Config_file_values_are_read_and_tilde_expands_to_home()
    {
        var dir = TestEnvironment.NewTempDirectory("cli-config");
        var path = Path.Combine(dir, "config");
        File.WriteAllText(path, "# builder client\nurl = https://builder.example.org\n\nuser = alice\nkey = ~/.ssh/id_ed25519\n");
        var values = ClientSettings.ReadConfigFile(path);
        Assert.Equal("https://builder.example.org", values["url"]);
        Assert.Equal("alice", values["user"]);
        Assert.EndsWith("/.ssh/id_ed25519", values["key"], StringComparison.Ordinal);
        Assert.DoesNotContain("~", values["key"], StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_config_line_is_reported_with_file_and_line()
    {
        var dir = TestEnvironment.NewTempDirectory("cli-config");
        var path = Path.Combine(dir, "config");
        File.WriteAllText(path, "url = https://b.example.org\nserver https://x\n");
        var ex = Assert.Throws<CliException>(() => ClientSettings.ReadConfigFile(path));
        Assert.Equal(ExitCode.Config, ex.Code);
        Assert.Equal($"{path} line 2: expected 'url = …', 'user = …' or 'key = …'", ex.Message);
    }

    [Theory]
    [InlineData(null, "no server URL")]
    [InlineData("ftp://x.example.org", "is not an http(s) URL")]
    public void Bad_url_is_a_configuration_error(string? url, string message)
    {
        var ex = Assert.Throws<CliException>(() => new ClientSettings(url, "alice", null).RequireUrl());
        Assert.Equal(ExitCode.Config, ex.Code);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
