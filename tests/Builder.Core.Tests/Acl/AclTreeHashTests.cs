using Builder.Core.Acl;
using Builder.Tests.Common;

namespace Builder.Core.Tests.Acl;

public sealed class AclTreeHashTests : IDisposable
{
    private readonly AclTreeDirectory _tree = new AclTreeDirectory()
        .Principals("alice", "bob")
        .Write("groups/devs", "bob\n")
        .Write("acl/dev", "@devs\n")
        .Write("acl/prod", "alice\n");

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Hash_is_stable_for_an_unchanged_tree()
    {
        Assert.Equal(_tree.Load().Hash, _tree.Load().Hash);
    }

    [Theory]
    [InlineData("acl/prod", "alice \n")]
    [InlineData("acl/prod", "# a comment\nalice\n")]
    [InlineData("groups/devs", "bob\n\n")]
    [InlineData("acl/staging", "")]
    [InlineData("groups/empty", "")]
    public void Any_edit_of_a_file_in_force_changes_the_hash(string file, string content)
    {
        var before = _tree.Load().Hash;

        _tree.Write(file, content);

        Assert.NotEqual(before, _tree.Load().Hash);
    }

    [Fact]
    public void Renaming_a_file_changes_the_hash()
    {
        var before = _tree.Load().Hash;

        File.Move(_tree.PathOf("acl/prod"), _tree.PathOf("acl/prod2"));

        Assert.NotEqual(before, _tree.Load().Hash);
    }

    [Fact]
    public void Moving_bytes_between_files_changes_the_hash()
    {
        _tree.Write("acl/a", "alice\nbob\n").Write("acl/b", "");
        var before = _tree.Load().Hash;

        _tree.Write("acl/a", "alice\n").Write("acl/b", "bob\n");

        Assert.NotEqual(before, _tree.Load().Hash);
    }

    [Fact]
    public void Ignored_files_do_not_change_the_hash()
    {
        var before = _tree.Load().Hash;

        _tree.Write("acl/.prod.swp", "x").Write("acl/prod~", "old\n");

        Assert.Equal(before, _tree.Load().Hash);
    }

    [Fact]
    public void Same_content_elsewhere_has_the_same_hash()
    {
        var copy = TestEnvironment.NewTempDirectory("aclcopy");
        try
        {
            foreach (var f in Directory.EnumerateFiles(_tree.Root, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(_tree.Root, f));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(f, target);
            }

            Assert.Equal(_tree.Load().Hash, AclTree.Load(copy).Hash);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Hash_is_the_documented_canonical_form()
    {
        var files = new[]
        {
            AclFile.Read("keys/alice.pub", "k\n"u8.ToArray()),
            AclFile.Read("acl/prod", "alice\n"u8.ToArray()),
            AclFile.Unusable("acl/dev", "not a regular file"),
        };
        var canonical = "acl/dev\0!\nacl/prod\u00006\nalice\nkeys/alice.pub\u00002\nk\n"u8.ToArray();

        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(canonical)), AclTreeHash.Compute(files));
    }
}
