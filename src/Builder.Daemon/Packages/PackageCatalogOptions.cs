namespace Builder.Daemon.Packages;

/// <summary>The part of the <c>Packages</c> section the HTTP API needs to answer 404 for unknown packages.</summary>
internal sealed class PackageCatalogOptions
{
    public const string Section = "Packages";

    /// <summary>Repository URL template with <c>{package}</c>, e.g. <c>/srv/git/packages/{package}.git</c>.</summary>
    public string RepositoryUrl { get; set; } = "";
}
