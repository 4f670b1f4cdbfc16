using System.Text;
using Builder.Core.Debian;
using Builder.Core.Pockets;
using Builder.Sources.Export;
using Builder.Sources.Mirrors;
using Builder.Sources.Packaging;
using Builder.Sources.Pockets;
using Builder.Sources.Resolve;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Sources;

/// <summary>
/// The sources stage of a build: fetch the mirror, resolve the commit, read debian/changelog, control and
/// source/format, apply the pocket rules, export the tree (and the upstream tarball for 3.0 (quilt)) and run
/// <c>dpkg-source --build</c>. The mirror is held only while git is read; dpkg-source runs after it is released.
/// </summary>
public sealed partial class PackageSources(MirrorCache mirrors, IOptions<PackagesOptions> options, TimeProvider time, ILogger<PackageSources> logger)
{
    private const string FormatFile = "debian/source/format";

    /// <summary>A debian/control or source/format larger than this is refused before it is read.</summary>
    private const long MaxMetadataBlob = 16 * 1024 * 1024;

    /// <returns>a <see cref="PreparedSource"/>, or a <see cref="PolicyViolation"/> that ends the build as rejected.</returns>
    /// <exception cref="SourceException">anything else that stops the build (it fails at stage preparing).</exception>
    public async Task<SourcePreparation> PrepareAsync(SourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PocketNames.IsValidPocket(request.Pocket) || !PocketNames.IsValidPackage(request.Package))
        {
            throw new ArgumentException($"invalid pocket '{request.Pocket}' or package '{request.Package}'", nameof(request));
        }
        var output = request.OutputDirectory;
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new ArgumentException($"{output} is not empty", nameof(request));
        }
        Directory.CreateDirectory(output);

        Staged staged;
        using (var lease = await mirrors.AcquireAsync(request.Package, cancellationToken))
        {
            try
            {
                var result = await Task.Run(() => Stage(lease.Repository, request, cancellationToken), cancellationToken);
                if (result is PolicyViolation violation)
                {
                    Log.Rejected(logger, request.BuildId, request.Pocket, violation.Reason);
                    return violation;
                }
                staged = (Staged)result;
            }
            catch (Exception e) when (e is LibGit2SharpException or InvalidDataException)
            {
                throw new SourceException($"reading the repository of {request.Package} failed: {e.Message}", e);
            }
            catch (IOException e)
            {
                throw new SourceException($"writing the source of {request.Package} to {output} failed: {e.Message}", e);
            }
        }
        var package = await SourcePackageBuilder.BuildAsync(output, staged.TreeDirectory, staged.Format, staged.Changelog,
            options.Value.DpkgSourceTimeout, time, cancellationToken);
        Directory.Delete(Path.Combine(output, staged.TreeDirectory), recursive: true);
        Log.Built(logger, request.BuildId, package.Dsc.Name, package.Files.Count);
        return new PreparedSource(staged.CommitId, staged.Changelog, staged.Control, package);
    }

    private SourcePreparation Stage(Repository repo, SourceRequest request, CancellationToken cancellationToken)
    {
        var commit = CommitResolver.Resolve(repo, request.Package, request.RequestedCommit, request.PocketOptions.Branch);
        var what = $"{request.Package} at {commit.Sha[..12]}";
        var changelog = Parse(repo, commit, DebianChangelog.FileName, what, DebianChangelog.MaxFirstEntryBytes, DebianChangelog.ParseFirstEntry);
        if (changelog.Source != request.Package)
        {
            throw new SourceException($"{what}: debian/changelog is for source package '{changelog.Source}', not '{request.Package}'");
        }
        var control = Parse(repo, commit, DebianControl.FileName, what, DebianControl.MaxBytes, DebianControl.ParseSource);
        if (control.Source != request.Package)
        {
            throw new SourceException($"{what}: debian/control is for source package '{control.Source}', not '{request.Package}'");
        }
        var format = ReadFormat(repo, commit, what);
        Log.Resolved(logger, request.BuildId, request.Package, commit.Sha, changelog.Version.Text);

        var violation = PocketRules.Check(repo, request.Pocket, request.PocketOptions, request.Package, request.Head, commit, changelog.Version);
        if (violation is not null)
        {
            return violation with { CommitId = commit.Sha, Version = changelog.Version.ToString() };
        }

        var o = options.Value;
        var limits = new ExportLimits(o.MaxExportBytes, o.MaxExportEntries);
        var plan = TreeExporter.Plan(repo, commit.Tree, limits, what);
        var version = changelog.Version;
        var treeDirectory = $"{request.Package}-{version.Upstream}";
        if (format == SourceFormat.Quilt)
        {
            if (version.IsNative)
            {
                throw new SourceException($"{what}: 3.0 (quilt) needs a version with a Debian revision, not {version}");
            }
            WriteUpstreamTarball(repo, request, version, treeDirectory, limits, cancellationToken);
        }
        else if (!version.IsNative)
        {
            throw new SourceException($"{what}: 3.0 (native) needs a version without a Debian revision, not {version}");
        }
        plan.WriteDirectory(Path.Combine(request.OutputDirectory, treeDirectory), cancellationToken);
        return new Staged(commit.Sha, changelog, control, format, treeDirectory);
    }

    private static void WriteUpstreamTarball(Repository repo, SourceRequest request, DebianVersion version, string treeDirectory, ExportLimits limits,
        CancellationToken cancellationToken)
    {
        var tag = GitRefNames.UpstreamTag(version.Upstream);
        if (repo.Refs[$"refs/tags/{tag}"] is null)
        {
            throw new SourceException(
                $"{request.Package} {version} is 3.0 (quilt) but the repository has no tag {tag} to make the upstream tarball from (git-buildpackage's upstream/<version>)");
        }
        var upstream = CommitResolver.Resolve(repo, request.Package, $"refs/tags/{tag}", request.PocketOptions.Branch);
        var plan = TreeExporter.Plan(repo, upstream.Tree, limits, $"{request.Package} {tag}");
        var name = $"{request.Package}_{version.Upstream}.orig.tar.gz";
        using var file = new FileStream(Path.Combine(request.OutputDirectory, name), FileMode.CreateNew, FileAccess.Write);
        // The upstream commit's time, not now: rebuilding the same version must give a byte-identical .orig.tar.gz.
        plan.WriteTarGz(file, treeDirectory, upstream.Committer.When, cancellationToken);
    }

    private static T Parse<T>(Repository repo, Commit commit, string path, string what, int maxBytes, Func<string, T> parse)
    {
        var text = ReadText(repo, commit, path, what, maxBytes);
        try
        {
            return parse(text);
        }
        catch (DebianFormatException e)
        {
            throw new SourceException($"{what}: {e.Message}", e);
        }
    }

    private static SourceFormat ReadFormat(Repository repo, Commit commit, string what)
    {
        var text = ReadText(repo, commit, FormatFile, what, 256).Trim();
        return text switch
        {
            "3.0 (native)" => SourceFormat.Native,
            "3.0 (quilt)" => SourceFormat.Quilt,
            _ => throw new SourceException($"{what}: {FormatFile} says '{TreeExporter.Printable(text)}'; Builder builds '3.0 (native)' and '3.0 (quilt)' packages"),
        };
    }

    /// <summary>A regular file of the commit, at most <paramref name="maxChars"/> characters of it (a prefix is enough for the changelog).</summary>
    private static string ReadText(Repository repo, Commit commit, string path, string what, int maxChars)
    {
        var entry = commit[path];
        if (entry is null)
        {
            throw new SourceException($"{what}: {path} is missing");
        }
        if (entry.Mode is not (Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile))
        {
            throw new SourceException($"{what}: {path} is not a regular file");
        }
        var size = repo.ObjectDatabase.RetrieveObjectMetadata(entry.Target.Id).Size;
        if (size > MaxMetadataBlob)
        {
            throw new SourceException($"{what}: {path} is {size} bytes, more than {MaxMetadataBlob}");
        }
        using var reader = new StreamReader(((Blob)entry.Target).GetContentStream(), new UTF8Encoding(false, throwOnInvalidBytes: true));
        var buffer = new char[maxChars + 1];
        int read = 0, n;
        try
        {
            while (read < buffer.Length && (n = reader.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
            }
        }
        catch (DecoderFallbackException)
        {
            throw new SourceException($"{what}: {path} is not valid UTF-8");
        }
        // One character more than allowed tells the parsers the file was cut (they report the limit).
        return new string(buffer, 0, read);
    }

    private sealed record Staged(string CommitId, ChangelogEntry Changelog, SourceControl Control, SourceFormat Format, string TreeDirectory) : SourcePreparation;
}
