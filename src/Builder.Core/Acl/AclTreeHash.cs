using System.Security.Cryptography;
using System.Text;

namespace Builder.Core.Acl;

/// <summary>
/// The tree hash recorded in every audit record. Canonical form (README "ACL tree"): for every entry of the tree that
/// is not ignored, in byte order of its relative path (as <c>LC_ALL=C sort</c>), the bytes
/// <c>path NUL length LF content</c>, where length is the content's size in decimal, or <c>!</c> with no content for
/// an entry that could not be used (not a regular file, unreadable, too large). "sha256:" + hex of the SHA-256 of all that.
/// </summary>
internal static class AclTreeHash
{
    public static string Compute(IEnumerable<AclFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, file) in files.Select(f => (Encoding.UTF8.GetBytes(f.Path), f)).OrderBy(p => p.Item1, ByteOrder.Instance))
        {
            hash.AppendData(path);
            hash.AppendData([0]);
            hash.AppendData(Encoding.ASCII.GetBytes(file.Content is null ? "!" : file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            hash.AppendData("\n"u8);
            if (file.Content is not null)
            {
                hash.AppendData(file.Content);
            }
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
