using Builder.Core.Acl;

namespace Builder.Core.Tests.Acl;

public sealed class AclTreeCheckTests : IDisposable
{
    private readonly AclTreeDirectory _tree = new AclTreeDirectory()
        .Principals("alice", "bob", "carol", "_ci-bot")
        .Write("groups/devs", "# developers\nalice\n\n  bob  \n")
        .Write("acl/dev", "# anyone in devs may build here\n@devs\ncarol\tcancel-any\n_ci-bot\n")
        .Write("acl/prod", "alice cancel-any\n@devs\n");

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Valid_tree_has_no_errors_and_lists_its_pockets()
    {
        var tree = _tree.Load();

        Assert.True(tree.IsValid, string.Join("\n", tree.Errors));
        Assert.Equal(["dev", "prod"], tree.Pockets);
        Assert.Matches("^sha256:[0-9a-f]{64}$", tree.Hash);
    }

    [Theory]
    [InlineData("alice", "dev", AclAction.Submit, AclOutcome.Allowed, AclFlags.None)]
    [InlineData("bob", "dev", AclAction.Cancel, AclOutcome.Allowed, AclFlags.None)]
    [InlineData("carol", "dev", AclAction.Submit, AclOutcome.Allowed, AclFlags.CancelAny)]
    [InlineData("carol", "dev", AclAction.CancelAny, AclOutcome.Allowed, AclFlags.CancelAny)]
    [InlineData("bob", "dev", AclAction.CancelAny, AclOutcome.NotListed, AclFlags.None)]
    [InlineData("carol", "prod", AclAction.Submit, AclOutcome.NotListed, AclFlags.None)]
    [InlineData("carol", "prod", AclAction.Cancel, AclOutcome.NotListed, AclFlags.None)]
    [InlineData("alice", "prod", AclAction.CancelAny, AclOutcome.Allowed, AclFlags.CancelAny)]
    [InlineData("bob", "prod", AclAction.Submit, AclOutcome.Allowed, AclFlags.None)]
    [InlineData("_ci-bot", "dev", AclAction.Submit, AclOutcome.Allowed, AclFlags.None)]
    [InlineData("mallory", "dev", AclAction.Submit, AclOutcome.NotListed, AclFlags.None)]
    [InlineData("alice", "staging", AclAction.Submit, AclOutcome.NoSuchPocket, AclFlags.None)]
    [InlineData("alice", "../acl/dev", AclAction.Submit, AclOutcome.NoSuchPocket, AclFlags.None)]
    public void Check_grants_by_entry_group_and_flag(string principal, string pocket, AclAction action, AclOutcome outcome, AclFlags flags)
    {
        var decision = _tree.Load().Check(principal, pocket, action);

        Assert.Equal(outcome, decision.Outcome);
        Assert.Equal(flags, decision.Flags);
        Assert.Empty(decision.Errors);
    }

    [Fact]
    public void Flag_on_a_group_entry_applies_to_every_member()
    {
        _tree.Write("acl/dev", "@devs cancel-any\n");

        var tree = _tree.Load();

        Assert.Equal(AclOutcome.Allowed, tree.Check("bob", "dev", AclAction.CancelAny).Outcome);
        Assert.Equal(AclOutcome.NotListed, tree.Check("carol", "dev", AclAction.CancelAny).Outcome);
    }

    [Fact]
    public void KeysOf_returns_every_key_of_a_principal_and_none_for_strangers()
    {
        var second = Builder.Tests.Common.Signing.TestSigningKey.Generate("alice@desktop");
        _tree.Write("keys/alice.pub", $"# laptop\n{_tree.Key("alice").PublicKeyLine}\n\n# desktop\n{second.PublicKeyLine}");

        var tree = _tree.Load();

        Assert.Equal([_tree.Key("alice").Fingerprint, second.Fingerprint], tree.KeysOf("alice").Select(k => k.Fingerprint));
        Assert.Empty(tree.KeysOf("mallory"));
        Assert.True(tree.IsValid, string.Join("\n", tree.Errors));
    }

    [Fact]
    public void Principal_without_an_acl_entry_in_any_pocket_still_has_keys()
    {
        var tree = _tree.Load();

        Assert.Single(tree.KeysOf("_ci-bot"));
        Assert.Equal(_tree.Key("carol").Fingerprint, tree.KeysOf("carol")[0].Fingerprint);
    }

    [Fact]
    public void Tree_without_groups_directory_is_valid()
    {
        Directory.Delete(_tree.PathOf("groups"), recursive: true);
        _tree.Write("acl/dev", "alice\n").Write("acl/prod", "bob\n");

        var tree = _tree.Load();

        Assert.True(tree.IsValid, string.Join("\n", tree.Errors));
        Assert.Equal(AclOutcome.Allowed, tree.Check("bob", "prod", AclAction.Submit).Outcome);
    }
}
