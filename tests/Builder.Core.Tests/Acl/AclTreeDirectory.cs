using System.Text;
using Builder.Tests.Common;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Acl;

/// <summary>A throwaway ACL tree on disk with one generated ed25519 key per principal.</summary>
internal sealed class AclTreeDirectory : IDisposable
{
    private readonly Dictionary<string, TestSigningKey> _keys = new(StringComparer.Ordinal);

    public AclTreeDirectory()
    {
        Root = TestEnvironment.NewTempDirectory("acl");
        Directory.CreateDirectory(Path.Combine(Root, "keys"));
        Directory.CreateDirectory(Path.Combine(Root, "groups"));
        Directory.CreateDirectory(Path.Combine(Root, "acl"));
    }

    public string Root { get; }

    public TestSigningKey Key(string principal) => _keys[principal];

    /// <summary>Creates keys/&lt;p&gt;.pub with a fresh key for each principal.</summary>
    public AclTreeDirectory Principals(params string[] principals)
    {
        foreach (var p in principals)
        {
            _keys[p] = TestSigningKey.Generate($"{p}@test");
            Write($"keys/{p}.pub", _keys[p].PublicKeyLine + "\n");
        }
        return this;
    }

    public AclTreeDirectory Write(string relativePath, string content) => Write(relativePath, Encoding.UTF8.GetBytes(content));

    public AclTreeDirectory Write(string relativePath, byte[] content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return this;
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public Builder.Core.Acl.AclTree Load() => Builder.Core.Acl.AclTree.Load(Root);

    public void Dispose()
    {
        // Tests make files unreadable and give them names .NET cannot round-trip (not UTF-8); rm copes with both.
        TestProcess.Run("rm", ["-rf", "--", Root]);
    }
}
