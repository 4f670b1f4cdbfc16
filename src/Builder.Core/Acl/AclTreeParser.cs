using Builder.Core.Pockets;
using Builder.Core.Requests;
using Builder.Core.Signatures;

namespace Builder.Core.Acl;

/// <summary>
/// Interprets an <see cref="AclSnapshot"/>: keys first (who exists), then groups (who they contain), then one ACL per
/// pocket. Every problem becomes an <see cref="AclError"/> with file and line; nothing throws for bad content.
/// </summary>
internal sealed class AclTreeParser
{
    public const string CancelAnyFlag = "cancel-any";

    private readonly AclErrorList _errors = new();
    private readonly Dictionary<string, List<SshPublicKey>> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string File, int Line)> _keyOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AclEntry>> _pockets = new(StringComparer.Ordinal);

    public static AclTree Parse(AclSnapshot snapshot) => new AclTreeParser().Run(snapshot);

    private AclTree Run(AclSnapshot snapshot)
    {
        foreach (var e in snapshot.StructureErrors)
        {
            _errors.Add(e.File, e.Line, e.Message);
        }
        var files = snapshot.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        foreach (var f in files)
        {
            switch (f.Directory)
            {
                case AclTreeReader.Keys:
                    ParseKeys(f);
                    break;
                case AclTreeReader.Groups or AclTreeReader.Acl:
                    break;
                default:
                    _errors.Add(f.Path, null, f.Problem ?? "unexpected entry; the ACL tree holds only keys/, groups/ and acl/");
                    break;
            }
        }
        foreach (var f in files.Where(f => f.Directory == AclTreeReader.Groups))
        {
            ParseGroup(f);
        }
        foreach (var f in files.Where(f => f.Directory == AclTreeReader.Acl))
        {
            ParsePocket(f);
        }
        return new AclTree(
            AclTreeHash.Compute(snapshot.Files),
            _errors.Sorted(),
            _keys.ToDictionary(p => p.Key, p => (IReadOnlyList<SshPublicKey>)p.Value, StringComparer.Ordinal),
            _groups,
            _pockets,
            _pockets.Keys.ToDictionary(p => p, ClosingErrors, StringComparer.Ordinal));
    }

    private void ParseKeys(AclFile file)
    {
        if (!file.Name.EndsWith(".pub", StringComparison.Ordinal) || !PrincipalNames.IsValid(file.Name[..^4]))
        {
            _errors.Add(file.Path, null,
                $"file name {UntrustedText.Quote(file.Name)} is not '<principal>.pub' with a principal name [a-z_][a-z0-9_-]* (at most {PrincipalNames.MaxLength} characters)");
            return;
        }
        var principal = file.Name[..^4];
        var keys = _keys[principal] = [];
        _keyFiles[principal] = file.Path;
        if (!Usable(file))
        {
            return;
        }
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, text) in AclLines.Read(file, _errors))
        {
            SshPublicKey key;
            try
            {
                key = SshPublicKey.Parse(text);
            }
            catch (FormatException e)
            {
                _errors.Add(file.Path, number, $"bad key line: {e.Message}");
                continue;
            }
            if (lines.TryGetValue(key.Fingerprint, out var first))
            {
                _errors.Add(file.Path, number, $"duplicate key (the same key is on line {first})");
            }
            else if (_keyOwners.TryGetValue(key.Fingerprint, out var owner))
            {
                _errors.Add(file.Path, number, $"duplicate key: the same key is in {owner.File} line {owner.Line}; a key belongs to one principal");
            }
            else
            {
                lines[key.Fingerprint] = number;
                _keyOwners[key.Fingerprint] = (file.Path, number);
                keys.Add(key);
            }
        }
    }

    private void ParseGroup(AclFile file)
    {
        if (!PrincipalNames.IsValid(file.Name))
        {
            _errors.Add(file.Path, null,
                $"file name {UntrustedText.Quote(file.Name)} is not a group name [a-z_][a-z0-9_-]* (at most {PrincipalNames.MaxLength} characters)");
            return;
        }
        var members = _groups[file.Name] = new HashSet<string>(StringComparer.Ordinal);
        if (!Usable(file))
        {
            return;
        }
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, text) in AclLines.Read(file, _errors))
        {
            var tokens = AclLines.Tokens(text);
            var name = tokens[0];
            if (tokens.Length != 1)
            {
                _errors.Add(file.Path, number, "expected one principal per line");
            }
            else if (name.StartsWith('@'))
            {
                _errors.Add(file.Path, number, $"a group cannot contain a group ({UntrustedText.Quote(name)})");
            }
            else if (!PrincipalNames.IsValid(name))
            {
                _errors.Add(file.Path, number, $"{UntrustedText.Quote(name)} is not a principal name");
            }
            else if (lines.TryGetValue(name, out var first))
            {
                _errors.Add(file.Path, number, $"duplicate member '{name}' (also on line {first})");
            }
            else if (!_keys.ContainsKey(name))
            {
                _errors.Add(file.Path, number, $"unknown principal '{name}'");
            }
            else
            {
                lines[name] = number;
                members.Add(name);
            }
        }
    }

    private void ParsePocket(AclFile file)
    {
        if (!PocketNames.IsValidPocket(file.Name))
        {
            _errors.Add(file.Path, null,
                $"file name {UntrustedText.Quote(file.Name)} is not a pocket name [a-z0-9][a-z0-9-]* (at most {PocketNames.MaxLength} characters)");
            return;
        }
        var entries = _pockets[file.Name] = [];
        if (!Usable(file))
        {
            return;
        }
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, text) in AclLines.Read(file, _errors))
        {
            var tokens = AclLines.Tokens(text);
            var entry = ParseEntry(file.Path, number, tokens[0]);
            var flags = ParseFlags(file.Path, number, tokens.AsSpan(1));
            if (entry is null || flags is null)
            {
                continue;
            }
            if (lines.TryGetValue(tokens[0], out var first))
            {
                _errors.Add(file.Path, number, $"duplicate entry '{tokens[0]}' (also on line {first})");
                continue;
            }
            lines[tokens[0]] = number;
            entries.Add(entry with { Flags = flags.Value });
        }
    }

    private AclEntry? ParseEntry(string path, int number, string token)
    {
        var isGroup = token.StartsWith('@');
        var name = isGroup ? token[1..] : token;
        if (!PrincipalNames.IsValid(name))
        {
            _errors.Add(path, number, $"{UntrustedText.Quote(token)} is not a principal name or @group");
            return null;
        }
        if (isGroup && !_groups.ContainsKey(name))
        {
            _errors.Add(path, number, $"missing group '{name}' (no file groups/{name})");
            return null;
        }
        if (!isGroup && !_keys.ContainsKey(name))
        {
            _errors.Add(path, number, $"unknown principal '{name}'");
            return null;
        }
        return new AclEntry(name, isGroup, AclFlags.None, number);
    }

    private AclFlags? ParseFlags(string path, int number, ReadOnlySpan<string> tokens)
    {
        AclFlags? flags = AclFlags.None;
        foreach (var token in tokens)
        {
            if (token != CancelAnyFlag)
            {
                _errors.Add(path, number, $"unknown flag {UntrustedText.Quote(token)}; the only flag is '{CancelAnyFlag}'");
                flags = null;
            }
            else if (flags is { } f && f.HasFlag(AclFlags.CancelAny))
            {
                _errors.Add(path, number, $"duplicate flag '{CancelAnyFlag}'");
                flags = null;
            }
            else if (flags is not null)
            {
                flags |= AclFlags.CancelAny;
            }
        }
        return flags;
    }

    private bool Usable(AclFile file)
    {
        if (file.Content is null)
        {
            _errors.Add(file.Path, null, file.Problem ?? "cannot read");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Errors that close a pocket: those in its ACL file, in the group files it names, and in the key files of every
    /// principal it names directly or through a group. Errors elsewhere leave it open.
    /// </summary>
    private IReadOnlyList<AclError> ClosingErrors(string pocket)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal) { $"{AclTreeReader.Acl}/{pocket}" };
        foreach (var entry in _pockets[pocket])
        {
            if (!entry.IsGroup)
            {
                files.Add(_keyFiles[entry.Name]);
                continue;
            }
            files.Add($"{AclTreeReader.Groups}/{entry.Name}");
            foreach (var member in _groups[entry.Name])
            {
                files.Add(_keyFiles[member]);
            }
        }
        return [.. files.SelectMany(_errors.For).Order(AclErrorOrder.Instance)];
    }
}
