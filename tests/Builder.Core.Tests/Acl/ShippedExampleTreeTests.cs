using Builder.Core.Acl;
using Builder.Tests.Common;

namespace Builder.Core.Tests.Acl;

/// <summary>The example tree shipped in ops/config/acl parses cleanly and grants what its comments say.</summary>
public sealed class ShippedExampleTreeTests
{
    private static readonly AclTree Tree = AclTree.Load(Path.Combine(TestEnvironment.RepositoryRoot, "ops", "config", "acl"));

    [Fact]
    public void Example_tree_has_no_errors_and_the_pockets_dev_and_prod()
    {
        Assert.True(Tree.IsValid, string.Join("\n", Tree.Errors));
        Assert.Equal(["dev", "prod"], Tree.Pockets.Order(StringComparer.Ordinal));
        Assert.All(["alice", "bob", "rm1"], p => Assert.Single(Tree.KeysOf(p)));
    }

    [Theory]
    [InlineData("alice", "dev", AclAction.Submit, AclOutcome.Allowed)]
    [InlineData("bob", "dev", AclAction.Submit, AclOutcome.Allowed)]
    [InlineData("alice", "dev", AclAction.CancelAny, AclOutcome.Allowed)]
    [InlineData("bob", "dev", AclAction.CancelAny, AclOutcome.NotListed)]
    [InlineData("rm1", "dev", AclAction.Submit, AclOutcome.NotListed)]
    [InlineData("rm1", "prod", AclAction.Submit, AclOutcome.Allowed)]
    [InlineData("rm1", "prod", AclAction.CancelAny, AclOutcome.Allowed)]
    [InlineData("alice", "prod", AclAction.Submit, AclOutcome.NotListed)]
    [InlineData("bob", "prod", AclAction.Submit, AclOutcome.NotListed)]
    public void Example_tree_grants_developers_dev_and_release_managers_prod(string principal, string pocket, AclAction action, AclOutcome outcome) =>
        Assert.Equal(outcome, Tree.Check(principal, pocket, action).Outcome);
}
