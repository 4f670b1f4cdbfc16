using System.Collections.Frozen;
using Builder.Core.Signatures;

namespace Builder.Core.Acl;

/// <summary>
/// An ACL tree (DESIGN.md, README "ACL tree"): <c>keys/&lt;principal&gt;.pub</c>, <c>groups/&lt;group&gt;</c>,
/// <c>acl/&lt;pocket&gt;</c>. Immutable once loaded, so a daemon can swap the tree in force atomically. Errors close
/// exactly the pockets they affect (<see cref="ErrorsFor"/>); the rest of the tree keeps working.
/// </summary>
public sealed class AclTree
{
    private readonly FrozenDictionary<string, IReadOnlyList<SshPublicKey>> _keys;
    private readonly FrozenDictionary<string, FrozenSet<string>> _groups;
    private readonly FrozenDictionary<string, AclEntry[]> _pockets;
    private readonly FrozenDictionary<string, IReadOnlyList<AclError>> _pocketErrors;

    internal AclTree(
        string hash,
        IReadOnlyList<AclError> errors,
        IDictionary<string, IReadOnlyList<SshPublicKey>> keys,
        IDictionary<string, HashSet<string>> groups,
        IDictionary<string, List<AclEntry>> pockets,
        IDictionary<string, IReadOnlyList<AclError>> pocketErrors)
    {
        Hash = hash;
        Errors = errors;
        _keys = keys.ToFrozenDictionary(StringComparer.Ordinal);
        _groups = groups.ToFrozenDictionary(g => g.Key, g => g.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
        _pockets = pockets.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _pocketErrors = pocketErrors.ToFrozenDictionary(StringComparer.Ordinal);
        Pockets = [.. _pockets.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>"sha256:&lt;64 hex&gt;" over the canonical encoding of every file in force (README "ACL tree").</summary>
    public string Hash { get; }

    /// <summary>Every error of the tree, sorted by file, then line.</summary>
    public IReadOnlyList<AclError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>Pockets that have an acl/&lt;pocket&gt; file (also those closed by errors), sorted.</summary>
    public IReadOnlyCollection<string> Pockets { get; }

    /// <summary>
    /// Reads and checks the tree in <paramref name="directory"/>. Never throws for bad content or an unreadable tree:
    /// every problem is in <see cref="Errors"/>.
    /// </summary>
    public static AclTree Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return AclTreeParser.Parse(AclTreeReader.Read(directory));
    }

    /// <summary>The keys in keys/&lt;principal&gt;.pub that parsed; empty for an unknown principal.</summary>
    public IReadOnlyList<SshPublicKey> KeysOf(string principal) =>
        _keys.TryGetValue(principal, out var keys) ? keys : [];

    /// <summary>The errors that close <paramref name="pocket"/>; empty when it is open or does not exist.</summary>
    public IReadOnlyList<AclError> ErrorsFor(string pocket) =>
        _pocketErrors.TryGetValue(pocket, out var errors) ? errors : [];

    /// <summary>
    /// May <paramref name="principal"/> do <paramref name="action"/> in <paramref name="pocket"/>? Submit and Cancel (of
    /// one's own build) need an entry, directly or through a group; CancelAny needs an entry with <c>cancel-any</c>.
    /// </summary>
    public AclDecision Check(string principal, string pocket, AclAction action)
    {
        if (!_pockets.TryGetValue(pocket, out var entries))
        {
            return new AclDecision(AclOutcome.NoSuchPocket, AclFlags.None, []);
        }
        var errors = ErrorsFor(pocket);
        if (errors.Count > 0)
        {
            return new AclDecision(AclOutcome.PocketClosed, AclFlags.None, errors);
        }
        var listed = false;
        var flags = AclFlags.None;
        foreach (var entry in entries)
        {
            if (entry.IsGroup ? _groups[entry.Name].Contains(principal) : entry.Name == principal)
            {
                listed = true;
                flags |= entry.Flags;
            }
        }
        var allowed = action switch
        {
            AclAction.Submit or AclAction.Cancel => listed,
            AclAction.CancelAny => flags.HasFlag(AclFlags.CancelAny),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        return new AclDecision(allowed ? AclOutcome.Allowed : AclOutcome.NotListed, flags, []);
    }

    /// <summary>Builds a tree from an in-memory snapshot (tests, fuzzing).</summary>
    internal static AclTree FromSnapshot(AclSnapshot snapshot) => AclTreeParser.Parse(snapshot);
}
