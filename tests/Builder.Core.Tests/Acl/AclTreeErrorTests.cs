using Builder.Core.Acl;

namespace Builder.Core.Tests.Acl;

public sealed class AclTreeErrorTests : IDisposable
{
    private readonly AclTreeDirectory _tree = new AclTreeDirectory()
        .Principals("alice", "bob")
        .Write("groups/devs", "alice\nbob\n")
        .Write("acl/dev", "@devs\n")
        .Write("acl/prod", "alice\n");

    public void Dispose() => _tree.Dispose();

    private string[] Errors() => [.. _tree.Load().Errors.Select(e => e.ToString())];

    [Fact]
    public void Unknown_principal_is_reported_as_in_the_design()
    {
        _tree.Write("acl/prod", "# release managers\nalice\ncarol\n");

        Assert.Equal(["acl/prod line 3: unknown principal 'carol'"], Errors());
    }

    [Fact]
    public void Unknown_principal_in_a_group_is_reported()
    {
        _tree.Write("groups/devs", "alice\ncarol\n");

        Assert.Equal(["groups/devs line 2: unknown principal 'carol'"], Errors());
    }

    [Fact]
    public void Bad_key_line_is_reported_with_the_reason()
    {
        _tree.Write("keys/bob.pub", _tree.Key("bob").PublicKeyLine + "\nssh-dss AAAAB3NzaC1kc3M= old\n");

        Assert.Equal(
            ["keys/bob.pub line 2: bad key line: unsupported key type 'ssh-dss'; supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa"],
            Errors());
    }

    [Fact]
    public void Key_with_options_is_reported()
    {
        _tree.Write("keys/bob.pub", "no-pty " + _tree.Key("bob").PublicKeyLine + "\n");

        Assert.Equal(["keys/bob.pub line 1: bad key line: key options are not supported; give the bare key line 'type base64 [comment]'"], Errors());
    }

    [Fact]
    public void Missing_group_is_reported()
    {
        _tree.Write("acl/dev", "@devs\n@ops\n");

        Assert.Equal(["acl/dev line 2: missing group 'ops' (no file groups/ops)"], Errors());
    }

    [Fact]
    public void Duplicate_entries_members_and_keys_are_reported()
    {
        _tree.Write("acl/dev", "@devs\nalice\n@devs cancel-any\nalice\n")
            .Write("groups/devs", "alice\nbob\nalice\n")
            .Write("keys/bob.pub", $"{_tree.Key("bob").PublicKeyLine}\n{_tree.Key("bob").PublicKeyLine} again\n{_tree.Key("alice").PublicKeyLine}\n");

        Assert.Equal(
        [
            "acl/dev line 3: duplicate entry '@devs' (also on line 1)",
            "acl/dev line 4: duplicate entry 'alice' (also on line 2)",
            "groups/devs line 3: duplicate member 'alice' (also on line 1)",
            "keys/bob.pub line 2: duplicate key (the same key is on line 1)",
            "keys/bob.pub line 3: duplicate key: the same key is in keys/alice.pub line 1; a key belongs to one principal",
        ], Errors());
    }

    [Fact]
    public void Unknown_and_duplicate_flags_are_reported()
    {
        _tree.Write("acl/prod", "alice cancel-all\nbob cancel-any cancel-any\n");

        Assert.Equal(
        [
            "acl/prod line 1: unknown flag 'cancel-all'; the only flag is 'cancel-any'",
            "acl/prod line 2: duplicate flag 'cancel-any'",
        ], Errors());
    }

    [Fact]
    public void Crlf_line_ends_are_reported_on_the_first_such_line_and_the_file_grants_nothing()
    {
        _tree.Write("acl/prod", "alice\nbob\r\n");

        var tree = _tree.Load();

        Assert.Equal(["acl/prod line 2: CRLF line ends; save the file with LF"], tree.Errors.Select(e => e.ToString()));
        Assert.Equal(AclOutcome.PocketClosed, tree.Check("alice", "prod", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Bad_names_inside_files_are_reported()
    {
        _tree.Write("acl/prod", "Alice\n@\n@Devs\n")
            .Write("groups/devs", "alice bob\n@devs\nBob\n");

        Assert.Equal(
        [
            "acl/prod line 1: 'Alice' is not a principal name or @group",
            "acl/prod line 2: '@' is not a principal name or @group",
            "acl/prod line 3: '@Devs' is not a principal name or @group",
            "groups/devs line 1: expected one principal per line",
            "groups/devs line 2: a group cannot contain a group ('@devs')",
            "groups/devs line 3: 'Bob' is not a principal name",
        ], Errors());
    }

    [Fact]
    public void Bad_file_names_are_reported()
    {
        _tree.Write("acl/Prod", "alice\n").Write("acl/prod.bak", "alice\n")
            .Write("keys/Carol.pub", _tree.Key("alice").PublicKeyLine.Replace("alice", "x", StringComparison.Ordinal))
            .Write("keys/dave", "").Write("groups/Ops", "alice\n");

        Assert.Equal(
        [
            "acl/Prod: file name 'Prod' is not a pocket name [a-z0-9][a-z0-9-]* (at most 64 characters)",
            "acl/prod.bak: file name 'prod.bak' is not a pocket name [a-z0-9][a-z0-9-]* (at most 64 characters)",
            "groups/Ops: file name 'Ops' is not a group name [a-z_][a-z0-9_-]* (at most 32 characters)",
            "keys/Carol.pub: file name 'Carol.pub' is not '<principal>.pub' with a principal name [a-z_][a-z0-9_-]* (at most 32 characters)",
            "keys/dave: file name 'dave' is not '<principal>.pub' with a principal name [a-z_][a-z0-9_-]* (at most 32 characters)",
        ], Errors());
    }

    [Fact]
    public void Control_characters_in_a_file_name_are_escaped_in_the_report()
    {
        _tree.Write("acl/prod\nacl", "alice\n");

        Assert.Equal(["acl/prod\\x0aacl: file name 'prod\\x0aacl' is not a pocket name [a-z0-9][a-z0-9-]* (at most 64 characters)"], Errors());
    }

    [Fact]
    public void Editor_swap_and_backup_files_are_ignored()
    {
        _tree.Write("acl/prod~", "garbage\r\n").Write("acl/.prod.swp", "\0\0\0").Write("keys/.#bob.pub", "x").Write(".git/config", "[core]");

        var tree = _tree.Load();

        Assert.True(tree.IsValid, string.Join("\n", tree.Errors));
        Assert.Equal(["dev", "prod"], tree.Pockets);
    }

    [Fact]
    public void Unexpected_entry_at_the_root_is_reported()
    {
        _tree.Write("README", "who may build where\n");

        Assert.Equal(["README: unexpected entry; the ACL tree holds only keys/, groups/ and acl/"], Errors());
    }

    [Fact]
    public void Control_characters_and_invalid_utf8_are_reported()
    {
        _tree.Write("acl/prod", "alice\nbob\u001b[2J\n").Write("groups/devs", new byte[] { (byte)'a', 0xff, (byte)'\n' });

        Assert.Equal(["acl/prod line 2: control character in line", "groups/devs: not valid UTF-8"], Errors());
    }

    [Fact]
    public void Every_error_of_the_tree_is_reported_sorted_by_file_then_line()
    {
        _tree.Write("acl/prod", "zed\nalice bogus\nyan\n")
            .Write("acl/dev", "@nope\n")
            .Write("keys/bob.pub", "garbage\n" + _tree.Key("bob").PublicKeyLine + "\n");

        Assert.Equal(
        [
            "acl/dev line 1: missing group 'nope' (no file groups/nope)",
            "acl/prod line 1: unknown principal 'zed'",
            "acl/prod line 2: unknown flag 'bogus'; the only flag is 'cancel-any'",
            "acl/prod line 3: unknown principal 'yan'",
            "keys/bob.pub line 1: bad key line: unsupported key type 'garbage'; supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa",
        ], Errors());
    }

    [Fact]
    public void Errors_per_file_are_capped()
    {
        _tree.Write("acl/prod", string.Concat(Enumerable.Range(0, 500).Select(i => $"nobody{i}\n")));

        var errors = _tree.Load().Errors;

        Assert.Equal(51, errors.Count);
        Assert.Equal("acl/prod: more than 50 errors; the rest are not shown", errors[0].ToString());
    }
}
