using Builder.Core.Acl;

namespace Builder.Core.Tests.Acl;

/// <summary>An error closes exactly the pockets it affects; every other pocket keeps working.</summary>
public sealed class AclTreeFailClosedTests : IDisposable
{
    private readonly AclTreeDirectory _tree = new AclTreeDirectory()
        .Principals("alice", "bob", "carol")
        .Write("groups/devs", "bob\n")
        .Write("groups/ops", "carol\n")
        .Write("acl/direct", "bob\n")
        .Write("acl/viagroup", "@devs\nalice\n")
        .Write("acl/other", "alice\n@ops\n");

    public void Dispose() => _tree.Dispose();

    private static string[] Closed(AclTree tree) =>
        [.. tree.Pockets.Where(p => tree.Check("alice", p, AclAction.Submit).Outcome == AclOutcome.PocketClosed)];

    [Fact]
    public void Error_in_a_key_file_closes_pockets_naming_that_principal_directly_or_through_a_group()
    {
        _tree.Write("keys/bob.pub", _tree.Key("bob").PublicKeyLine + "\nnot a key\n");

        var tree = _tree.Load();

        Assert.Equal(["direct", "viagroup"], Closed(tree));
        var decision = tree.Check("alice", "viagroup", AclAction.Submit);
        Assert.Equal(AclOutcome.PocketClosed, decision.Outcome);
        Assert.Equal(
            ["keys/bob.pub line 2: bad key line: unsupported key type 'not'; supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa"],
            decision.Errors.Select(e => e.ToString()));
        Assert.Equal(AclOutcome.Allowed, tree.Check("carol", "other", AclAction.Submit).Outcome);
        Assert.Empty(tree.ErrorsFor("other"));
    }

    [Fact]
    public void Error_in_a_group_closes_only_pockets_using_the_group()
    {
        _tree.Write("groups/ops", "carol\ndave\n");

        var tree = _tree.Load();

        Assert.Equal(["other"], Closed(tree));
        Assert.Equal(["groups/ops line 2: unknown principal 'dave'"], tree.ErrorsFor("other").Select(e => e.ToString()));
        Assert.Equal(AclOutcome.Allowed, tree.Check("bob", "viagroup", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Error_in_a_pocket_acl_closes_only_that_pocket_even_for_valid_lines()
    {
        _tree.Write("acl/direct", "bob\nmallory\n");

        var tree = _tree.Load();

        Assert.Equal(["direct"], Closed(tree));
        Assert.Equal(AclOutcome.PocketClosed, tree.Check("bob", "direct", AclAction.Submit).Outcome);
        Assert.Equal(AclOutcome.Allowed, tree.Check("bob", "viagroup", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Errors_that_concern_no_pocket_close_nothing_but_make_the_tree_invalid()
    {
        _tree.Write("keys/Zed.pub", "x\n").Write("groups/unused", "nobody\n").Write("keys/dora.pub", "bad\n");

        var tree = _tree.Load();

        Assert.False(tree.IsValid);
        Assert.Equal(3, tree.Errors.Count);
        Assert.Empty(Closed(tree));
    }

    [Fact]
    public void Closing_errors_of_a_pocket_come_from_all_files_it_depends_on()
    {
        _tree.Write("acl/viagroup", "@devs\nalice\nghost\n").Write("groups/devs", "bob\nbob\n").Write("keys/alice.pub", "junk\n");

        var errors = _tree.Load().ErrorsFor("viagroup").Select(e => e.ToString());

        Assert.Equal(
        [
            "acl/viagroup line 3: unknown principal 'ghost'",
            "groups/devs line 2: duplicate member 'bob' (also on line 1)",
            "keys/alice.pub line 1: bad key line: unsupported key type 'junk'; supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa",
        ], errors);
    }
}
