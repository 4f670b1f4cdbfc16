using Builder.Tests.Common;
using Builder.Tests.Common.Signing;

namespace Builder.Cli.Tests.Commands;

public sealed class AclCheckCommandTests
{
    private static string MakeTree(string prodAcl)
    {
        var dir = TestEnvironment.NewTempDirectory("acl-check");
        foreach (var sub in new[] { "keys", "groups", "acl" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }
        File.WriteAllText(Path.Combine(dir, "keys", "alice.pub"), TestSigningKey.Generate().PublicKeyLine + "\n");
        File.WriteAllText(Path.Combine(dir, "acl", "dev"), "alice\n");
        File.WriteAllText(Path.Combine(dir, "acl", "prod"), prodAcl);
        return dir;
    }

    [Fact]
    public async Task Valid_tree_exits_0_and_prints_its_hash()
    {
        var dir = MakeTree("alice cancel-any\n");
        var (code, output, error) = await CliRunner.RunAsync("acl", "check", dir);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains($"{dir}: ok (sha256:", output, StringComparison.Ordinal);
        Assert.Contains("pocket prod: ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_tree_exits_1_and_prints_every_error_with_file_and_line()
    {
        var dir = MakeTree("alice\ncarol\n@nobody\nalice frobnicate\n");
        var (code, output, error) = await CliRunner.RunAsync("acl", "check", dir);
        Assert.Equal(1, code);
        Assert.Contains("acl/prod line 2: unknown principal 'carol'", error, StringComparison.Ordinal);
        Assert.Contains("acl/prod line 3", error, StringComparison.Ordinal);
        Assert.Contains("acl/prod line 4", error, StringComparison.Ordinal);
        Assert.Contains("pocket prod: CLOSED", output, StringComparison.Ordinal);
        Assert.Contains("pocket dev: ok", output, StringComparison.Ordinal);
    }
}
