using Builder.Core.Debian;
using Builder.Core.Pockets;
using LibGit2Sharp;

namespace Builder.Sources.Pockets;

/// <summary>
/// What a pocket accepts: a commit that descends from the pocket's current head (unless the pocket allows
/// backtracking) whose debian/changelog version is newer than the pocket's current version. The first
/// build of a package in a pocket has nothing to compare with and is accepted.
/// </summary>
internal static class PocketRules
{
    public static PolicyViolation? Check(Repository repository, string pocket, PocketOptions options, string package,
        PocketHeadState? head, Commit candidate, DebianVersion version)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(version);
        if (head is null)
        {
            return null;
        }
        if (!options.AllowBacktracking && candidate.Sha != head.CommitId)
        {
            var current = repository.Lookup<Commit>(head.CommitId);
            if (current is null)
            {
                return new PolicyViolation(
                    $"{package} commit {Short(candidate.Sha)} cannot be shown to descend from {Short(head.CommitId)} ({head.Version}), the head of {pocket}: " +
                    $"that commit is no longer in the repository, and {pocket} does not allow backtracking");
            }
            var mergeBase = repository.ObjectDatabase.FindMergeBase(candidate, current);
            if (mergeBase?.Sha != current.Sha)
            {
                return new PolicyViolation(
                    $"{package} commit {Short(candidate.Sha)} does not descend from {Short(head.CommitId)} ({head.Version}), the head of {pocket}; " +
                    $"{pocket} does not allow backtracking");
            }
        }
        if (version <= head.Version)
        {
            return new PolicyViolation($"{package} {version} is not newer than {head.Version} in {pocket}");
        }
        return null;
    }

    private static string Short(string sha) => sha[..12];
}
