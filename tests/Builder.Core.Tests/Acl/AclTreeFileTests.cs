using Builder.Core.Acl;
using Builder.Tests.Common;

namespace Builder.Core.Tests.Acl;

/// <summary>What the loader does with the file system: missing, unreadable, oversized and non-regular entries.</summary>
public sealed class AclTreeFileTests : IDisposable
{
    private readonly AclTreeDirectory _tree = new AclTreeDirectory()
        .Principals("alice", "bob")
        .Write("groups/devs", "bob\n")
        .Write("acl/dev", "@devs\n")
        .Write("acl/prod", "alice\n");

    public void Dispose() => _tree.Dispose();

    private string[] Errors() => [.. _tree.Load().Errors.Select(e => e.ToString())];

    [Fact]
    public void Unreadable_key_file_is_reported_with_the_system_error_and_closes_its_pockets()
    {
        File.SetUnixFileMode(_tree.PathOf("keys/bob.pub"), UnixFileMode.None);

        var tree = ThreadCapabilities.WithoutFileOverride(_tree.Load);

        Assert.Equal(["keys/bob.pub: cannot read: Permission denied"], tree.Errors.Select(e => e.ToString()));
        Assert.Equal(AclOutcome.PocketClosed, tree.Check("bob", "dev", AclAction.Submit).Outcome);
        Assert.Equal(AclOutcome.Allowed, tree.Check("alice", "prod", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Unreadable_acl_file_closes_the_pocket_instead_of_removing_it()
    {
        File.SetUnixFileMode(_tree.PathOf("acl/prod"), UnixFileMode.None);

        var tree = ThreadCapabilities.WithoutFileOverride(_tree.Load);

        Assert.Equal(AclOutcome.PocketClosed, tree.Check("alice", "prod", AclAction.Submit).Outcome);
        Assert.Equal(["acl/prod: cannot read: Permission denied"], tree.ErrorsFor("prod").Select(e => e.ToString()));
    }

    [Fact]
    public void Unreadable_directory_is_reported()
    {
        File.SetUnixFileMode(_tree.PathOf("groups"), UnixFileMode.UserWrite);

        var tree = ThreadCapabilities.WithoutFileOverride(_tree.Load);
        File.SetUnixFileMode(_tree.PathOf("groups"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal(
            ["acl/dev line 1: missing group 'devs' (no file groups/devs)", "groups/: cannot read: Permission denied"],
            tree.Errors.Select(e => e.ToString()));
        Assert.Equal(AclOutcome.PocketClosed, tree.Check("bob", "dev", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Missing_keys_and_acl_directories_are_reported()
    {
        Directory.Delete(_tree.PathOf("keys"), recursive: true);
        Directory.Delete(_tree.PathOf("acl"), recursive: true);

        Assert.Equal(
        [
            "acl/: missing directory; an ACL tree has keys/ and acl/ (groups/ is optional)",
            "groups/devs line 1: unknown principal 'bob'",
            "keys/: missing directory; an ACL tree has keys/ and acl/ (groups/ is optional)",
        ], Errors());
    }

    [Fact]
    public void Missing_root_is_reported_without_throwing()
    {
        var tree = AclTree.Load(_tree.PathOf("nonexistent"));

        Assert.Equal([$"the ACL directory '{_tree.PathOf("nonexistent")}' does not exist or is not a directory"], tree.Errors.Select(e => e.ToString()));
        Assert.Empty(tree.Pockets);
        Assert.Equal(AclOutcome.NoSuchPocket, tree.Check("alice", "prod", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Symlinked_file_inside_the_tree_is_refused()
    {
        var outside = TestEnvironment.NewTempDirectory("outside");
        try
        {
            File.WriteAllText(Path.Combine(outside, "prod"), "bob\n");
            File.Delete(_tree.PathOf("acl/prod"));
            File.CreateSymbolicLink(_tree.PathOf("acl/prod"), Path.Combine(outside, "prod"));

            var tree = _tree.Load();

            Assert.Equal(["acl/prod: not a regular file (a symbolic link; links are not followed)"], tree.Errors.Select(e => e.ToString()));
            Assert.Equal(AclOutcome.PocketClosed, tree.Check("bob", "prod", AclAction.Submit).Outcome);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Symlinked_subdirectory_is_refused()
    {
        var moved = _tree.PathOf("groups-real");
        Directory.Move(_tree.PathOf("groups"), moved);
        Directory.CreateSymbolicLink(_tree.PathOf("groups"), moved);

        Assert.Contains("groups/: is a symbolic link; the ACL tree must hold real directories", Errors());
    }

    [Fact]
    public void Symlinked_root_is_followed_so_trees_can_be_swapped_atomically()
    {
        var link = _tree.PathOf("../" + Path.GetFileName(_tree.Root) + "-current");
        Directory.CreateSymbolicLink(link, _tree.Root);
        try
        {
            var tree = AclTree.Load(link);

            Assert.True(tree.IsValid, string.Join("\n", tree.Errors));
            Assert.Equal(_tree.Load().Hash, tree.Hash);
        }
        finally
        {
            File.Delete(link);
        }
    }

    [Fact]
    public void Directory_where_a_file_belongs_is_refused()
    {
        Directory.CreateDirectory(_tree.PathOf("acl/staging"));

        var tree = _tree.Load();

        Assert.Equal(["acl/staging: not a regular file (a directory)"], tree.Errors.Select(e => e.ToString()));
        Assert.Equal(AclOutcome.PocketClosed, tree.Check("alice", "staging", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Fifo_where_a_file_belongs_is_refused_without_blocking()
    {
        TestProcess.Check("mkfifo", ["--", _tree.PathOf("acl/staging")]);

        Assert.Equal(["acl/staging: not a regular file"], Errors());
    }

    [Fact]
    public void File_name_that_is_not_utf8_is_reported_without_throwing()
    {
        // Only a shell can pass the raw byte 0xff; .NET would encode the name as UTF-8.
        TestProcess.Check("bash", ["-c", "touch -- $'acl/\\xffprod'"], _tree.Root);
        Assert.Equal(3, Directory.GetFiles(_tree.PathOf("acl")).Length);

        var errors = Errors();

        Assert.Single(errors);
        Assert.StartsWith("acl/\ufffdprod: file name '\\ufffdprod' is not a pocket name", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_file_is_refused()
    {
        _tree.Write("acl/prod", new string('#', (1 << 20) + 1));

        Assert.Equal(["acl/prod: larger than 1048576 bytes"], Errors());
    }

    [Fact]
    public void File_at_the_size_cap_is_read()
    {
        _tree.Write("acl/prod", "alice\n" + new string('#', (1 << 20) - 6));

        Assert.Empty(Errors());
    }
}
