using Builder.Daemon.Packages;

namespace Builder.Daemon.Tests.Packages;

public sealed class PackageCatalogOptionsValidatorTests
{
    [Fact]
    public void A_template_with_the_package_placeholder_is_valid()
    {
        var result = new PackageCatalogOptionsValidator().Validate(null, new PackageCatalogOptions { RepositoryUrl = "/srv/git/packages/{package}.git" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_template_without_the_placeholder_is_reported_by_key_without_repeating_the_url()
    {
        var result = new PackageCatalogOptionsValidator().Validate(null,
            new PackageCatalogOptions { RepositoryUrl = "https://builder:secret@git.example.org/hello.git" });

        Assert.Equal(["Packages:RepositoryUrl must contain {package} (e.g. \"/srv/git/packages/{package}.git\")"], result.Failures);
    }
}
