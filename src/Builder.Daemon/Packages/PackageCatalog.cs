using Microsoft.Extensions.Options;

namespace Builder.Daemon.Packages;

/// <summary>
/// Tells whether a package exists, for the submit-time 404. Local repositories (a path or file:// URL) are
/// checked on disk; for remote URLs the answer is "maybe" and a missing repository fails the build while preparing.
/// </summary>
internal sealed class PackageCatalog(IOptionsMonitor<PackageCatalogOptions> options)
{
    public string RepositoryFor(string package) => options.CurrentValue.RepositoryUrl.Replace("{package}", package, StringComparison.Ordinal);

    public bool MayExist(string package)
    {
        var url = RepositoryFor(package);
        if (url.StartsWith("file://", StringComparison.Ordinal))
        {
            url = url["file://".Length..];
        }
        else if (url.Contains("://", StringComparison.Ordinal) || url.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }
        return Directory.Exists(url);
    }
}
