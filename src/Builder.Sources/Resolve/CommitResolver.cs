using LibGit2Sharp;

namespace Builder.Sources.Resolve;

/// <summary>
/// Turns what a request names into one commit: a full 40-hex id, a ref (<c>refs/…</c>, or a branch or tag
/// name), or, with nothing named, the head of the pocket's branch. Abbreviated ids are refused (they can
/// become ambiguous as the repository grows, and the audit record must name exactly one commit), as is a
/// short name that is both a branch and a tag.
/// </summary>
internal static class CommitResolver
{
    public const int MaxRefLength = 255;

    /// <exception cref="SourceException">naming what was asked and why it does not resolve.</exception>
    public static Commit Resolve(Repository repository, string package, string? requested, string pocketBranch)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (requested is null)
        {
            if (!Reference.IsValidName($"refs/heads/{pocketBranch}"))
            {
                throw new SourceException($"the pocket's branch '{Printable(pocketBranch)}' is not a valid branch name");
            }
            return repository.Refs[$"refs/heads/{pocketBranch}"] is { } branch
                ? Peel(repository, branch, package, pocketBranch)
                : throw new SourceException($"{package} has no branch '{pocketBranch}' (the pocket's branch) in its repository");
        }
        if (requested.Length == 0 || requested.Length > MaxRefLength || requested.Any(char.IsControl))
        {
            throw new SourceException($"'{Printable(requested)}' is not a commit id or ref name");
        }
        if (requested.Length == 40 && requested.All(char.IsAsciiHexDigit))
        {
            var id = new ObjectId(requested.ToLowerInvariant());
            return repository.Lookup(id) switch
            {
                Commit commit => commit,
                null => throw new SourceException($"commit {requested} not found in the repository of {package}"),
                var other => throw new SourceException($"{requested} is a {other.GetType().Name.ToLowerInvariant()} in the repository of {package}, not a commit"),
            };
        }
        if (!Reference.IsValidName(requested.StartsWith("refs/", StringComparison.Ordinal) ? requested : $"refs/heads/{requested}"))
        {
            throw new SourceException($"'{Printable(requested)}' is neither a 40-hex commit id nor a valid ref name");
        }
        if (requested.StartsWith("refs/", StringComparison.Ordinal))
        {
            return repository.Refs[requested] is { } exact
                ? Peel(repository, exact, package, requested)
                : throw new SourceException($"no ref {requested} in the repository of {package}");
        }
        var isBranch = repository.Refs[$"refs/heads/{requested}"];
        var isTag = repository.Refs[$"refs/tags/{requested}"];
        if (isBranch is not null && isTag is not null)
        {
            throw new SourceException($"'{requested}' is ambiguous in the repository of {package}: both a branch and a tag; give refs/heads/{requested} or refs/tags/{requested}");
        }
        if ((isBranch ?? isTag) is { } found)
        {
            return Peel(repository, found, package, requested);
        }
        if (requested.Length is >= 4 and < 40 && requested.All(char.IsAsciiHexDigit))
        {
            throw new SourceException($"'{requested}' looks like an abbreviated commit id; give all 40 hex digits");
        }
        throw new SourceException($"no branch or tag '{Printable(requested)}' in the repository of {package}");
    }

    private static Commit Peel(Repository repository, Reference reference, string package, string name)
    {
        var target = reference.ResolveToDirectReference()?.Target;
        while (target is TagAnnotation tag)
        {
            target = tag.Target;
        }
        return target as Commit
            ?? throw new SourceException($"'{name}' in the repository of {package} does not point to a commit");
    }

    private static string Printable(string s) => s.Length > 64 ? s[..64] + "…" : s;
}
