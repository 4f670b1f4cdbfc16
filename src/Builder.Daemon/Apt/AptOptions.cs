namespace Builder.Daemon.Apt;

/// <summary>The <c>Apt</c> configuration section: the reprepro repository the pockets publish to.</summary>
internal sealed class AptOptions
{
    public const string Section = "Apt";

    /// <summary>reprepro base directory (conf/, db/, dists/, pool/); serve it with any web server.</summary>
    public string BaseDirectory { get; set; } = "/srv/apt";

    /// <summary>GnuPG key (fingerprint or id) that signs Release files; empty = unsigned (clients then need trusted=yes).</summary>
    public string SignWith { get; set; } = "";

    /// <summary>GNUPGHOME holding that key (the daemon user's own by default).</summary>
    public string? GnupgHome { get; set; }

    public string Origin { get; set; } = "Builder";

    public string Label { get; set; } = "Builder";

    public string Architectures { get; set; } = "amd64";

    /// <summary>Limit for one reprepro run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}
