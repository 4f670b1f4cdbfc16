using Builder.Core.Tests.Requests;
using Builder.Tests.Common;

namespace Builder.Core.Tests.Acl;

/// <summary>The README tells auditors how to recompute the tree hash with standard tools; this keeps that true.</summary>
public sealed class AclTreeHashShellTests : IDisposable
{
    /// <summary>The command from README "ACL tree": the code block that starts in the tree directory.</summary>
    private static string ReadmeCommand()
    {
        const string Cd = "cd /etc/builder/acl\n";
        var block = Readme.CodeBlocks("## ACL tree").Single(b => b.StartsWith(Cd, StringComparison.Ordinal));
        return block[Cd.Length..];
    }

    private readonly AclTreeDirectory _tree = new AclTreeDirectory()
        .Principals("alice", "bob", "bob-2", "bob_3")
        .Write("groups/devs", "bob\nbob-2\n")
        .Write("acl/dev", "@devs\n")
        .Write("acl/dev-2", "bob_3\n")
        .Write("acl/prod", "alice cancel-any\n")
        .Write("acl/prod~", "stale\n")
        .Write("acl/.prod.swp", "swap");

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Hash_equals_the_readme_shell_command()
    {
        var stdout = TestProcess.Check("bash", ["-c", "set -o pipefail; " + ReadmeCommand()], _tree.Root);

        Assert.Equal(_tree.Load().Hash, "sha256:" + stdout.Split(' ')[0]);
    }
}
