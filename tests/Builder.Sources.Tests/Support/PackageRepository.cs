namespace Builder.Sources.Tests.Support;

/// <summary>
/// A package repository as admins keep them: a bare repository (the "server", what Packages:RepositoryUrl points
/// to) and a working clone the test commits in and pushes from, with the git CLI.
/// </summary>
internal sealed class PackageRepository
{
    public PackageRepository(string root, string package)
    {
        Package = package;
        Bare = Path.Combine(root, "remote", package + ".git");
        Work = Path.Combine(root, "work", package);
        Directory.CreateDirectory(Bare);
        Directory.CreateDirectory(Work);
        Git.Run(Bare, "init", "--bare", "--quiet", "--initial-branch=main");
        Git.Run(Work, "init", "--quiet", "--initial-branch=main");
        Git.Run(Work, "remote", "add", "origin", Bare);
    }

    public string Package { get; }

    public string Bare { get; }

    public string Work { get; }

    public PackageRepository Write(string path, string content)
    {
        var full = Path.Combine(Work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public PackageRepository Symlink(string path, string target)
    {
        var full = Path.Combine(Work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        return this;
    }

    public PackageRepository Delete(string path)
    {
        Git.Run(Work, "rm", "-q", "-r", "--", path);
        return this;
    }

    /// <summary>debian/ of a minimal package: changelog with one entry, control, source/format.</summary>
    public PackageRepository Debian(string version, string format = "3.0 (native)", string? source = null)
    {
        Write("debian/changelog", Changelog(source ?? Package, version));
        Write("debian/control", $"""
            Source: {source ?? Package}
            Maintainer: Jane Doe <jane@example.org>
            Build-Depends: debhelper-compat (= 13)

            Package: {source ?? Package}
            Architecture: all
            Description: test package
             A package made by a test.

            """);
        Write("debian/source/format", format + "\n");
        return this;
    }

    public static string Changelog(string source, string version) => $"""
        {source} ({version}) unstable; urgency=medium

          * Test release {version}.

         -- Jane Doe <jane@example.org>  Mon, 23 Nov 2026 10:00:00 +0000

        """;

    /// <summary>Adds everything and commits; returns the commit id.</summary>
    public string Commit(string message)
    {
        Git.Run(Work, "add", "-A");
        Git.Run(Work, "commit", "--quiet", "--allow-empty", "-m", message);
        return Head();
    }

    public string Head() => Git.Run(Work, "rev-parse", "HEAD");

    public PackageRepository Push(string branch = "main", bool force = false)
    {
        Git.Run(Work, force ? ["push", "--quiet", "--force", "origin", $"HEAD:refs/heads/{branch}"] : ["push", "--quiet", "origin", $"HEAD:refs/heads/{branch}"]);
        return this;
    }

    public PackageRepository Tag(string name, string? commit = null)
    {
        Git.Run(Work, "tag", "-a", "-m", $"tag {name}", name, commit ?? "HEAD");
        Git.Run(Work, "push", "--quiet", "origin", $"refs/tags/{name}");
        return this;
    }

    public PackageRepository Git_(params string[] args)
    {
        Git.Run(Work, args);
        return this;
    }
}
