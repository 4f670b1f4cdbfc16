namespace Builder.Sources;

/// <summary>The <c>Packages</c> configuration section: where package repositories live and how sources are exported.</summary>
public sealed class PackagesOptions
{
    public const string Section = "Packages";

    public const string PackagePlaceholder = "{package}";

    /// <summary>
    /// URL of a package's git repository with <c>{package}</c> in it, e.g. <c>/srv/git/packages/{package}.git</c>
    /// or <c>https://git.example.org/debian/{package}.git</c>. Tags are pushed back to it.
    /// </summary>
    public string RepositoryUrl { get; set; } = "";

    /// <summary>Cache directory holding one bare mirror per package (<c>{package}.git</c>) and its lock file.</summary>
    public string MirrorDirectory { get; set; } = "/var/cache/builder/mirrors";

    /// <summary>Largest source tree (and largest single file) exported from git, in bytes; checked before anything is written.</summary>
    public long MaxExportBytes { get; set; } = 1L << 30;

    /// <summary>Most files, directories and symlinks one exported tree may have.</summary>
    public int MaxExportEntries { get; set; } = 100_000;

    /// <summary>Name in the annotated <c>&lt;pocket&gt;/&lt;version&gt;</c> tags.</summary>
    public string TaggerName { get; set; } = "Builder";

    /// <summary>E-mail address in the annotated tags.</summary>
    public string TaggerEmail { get; set; } = "";

    /// <summary>How long a build waits for another build (or process) using the same package's mirror.</summary>
    public TimeSpan MirrorLockTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Longest fetch (or re-clone) of a package repository.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest <c>dpkg-source -b</c> run.</summary>
    public TimeSpan DpkgSourceTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The repository URL of <paramref name="package"/> (a name already checked against Debian's rule).</summary>
    public string RepositoryUrlFor(string package) => RepositoryUrl.Replace(PackagePlaceholder, package, StringComparison.Ordinal);
}
