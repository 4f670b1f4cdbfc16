using Builder.Core.Debian;
using Builder.Core.Pockets;
using Builder.Sources.Mirrors;
using Builder.Sources.Resolve;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Sources.Tagging;

/// <summary>
/// After a publish: the annotated tag <c>&lt;pocket&gt;/&lt;version&gt;</c> on the built commit, pushed to the
/// package repository. A tag that exists on another commit is an error and is never moved (the tag is the
/// record of what the pocket published); the same tag on the same commit is a no-op, so a retried publish is safe.
/// </summary>
public sealed partial class PocketTagger(MirrorCache mirrors, IOptions<PackagesOptions> options, TimeProvider time, ILogger<PocketTagger> logger)
{
    /// <exception cref="SourceException">the tag exists on another commit, or the push was refused.</exception>
    public async Task<TagOutcome> TagAsync(string package, string pocket, DebianVersion version, string commitId, long buildId, long auditSeq,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!PocketNames.IsValidPocket(pocket))
        {
            throw new ArgumentException($"invalid pocket name '{pocket}'", nameof(pocket));
        }
        using var lease = await mirrors.AcquireAsync(package, cancellationToken);
        return await Task.Run(() => Tag(lease, pocket, version, commitId, buildId, auditSeq), cancellationToken);
    }

    internal TagOutcome Tag(MirrorLease lease, string pocket, DebianVersion version, string commitId, long buildId, long auditSeq)
    {
        var repo = lease.Repository;
        var name = GitRefNames.PocketTag(pocket, version.Text);
        var commit = CommitResolver.Resolve(repo, lease.Package, commitId, "unused");
        if (repo.Refs[$"refs/tags/{name}"] is not null)
        {
            var tagged = CommitResolver.Resolve(repo, lease.Package, $"refs/tags/{name}", "unused");
            if (tagged.Sha == commit.Sha)
            {
                Log.AlreadyTagged(logger, lease.Package, name, commit.Sha);
                return TagOutcome.AlreadyPresent;
            }
            throw new SourceException(
                $"tag {name} already exists in the repository of {lease.Package} on commit {tagged.Sha}, not {commit.Sha}; a published tag is never moved");
        }
        var o = options.Value;
        var message = $"{lease.Package} {version} published to {pocket}\n\nBuild: {buildId}\nAudit-Seq: {auditSeq}\n";
        repo.Tags.Add(name, commit, new Signature(o.TaggerName, o.TaggerEmail, time.GetUtcNow()), message);
        string? refused = null;
        try
        {
            repo.Network.Push(repo.Network.Remotes["origin"], $"refs/tags/{name}:refs/tags/{name}",
                new PushOptions { OnPushStatusError = e => refused = e.Message });
        }
        catch (LibGit2SharpException e)
        {
            refused = e.Message;
        }
        if (refused is not null)
        {
            // The mirror must not keep a tag the package repository does not have.
            repo.Tags.Remove(name);
            throw new SourceException($"pushing tag {name} to {lease.Url} failed: {refused}");
        }
        Log.Tagged(logger, lease.Package, name, commit.Sha, lease.Url);
        return TagOutcome.Created;
    }
}
