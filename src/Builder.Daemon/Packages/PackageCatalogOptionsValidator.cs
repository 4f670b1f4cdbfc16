using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Packages;

/// <summary>Checks the daemon's part of the <c>Packages</c> section, each problem naming its key.</summary>
internal sealed class PackageCatalogOptionsValidator : IValidateOptions<PackageCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, PackageCatalogOptions options)
    {
        var errors = new OptionsErrors();
        // The value is not repeated: a URL may carry a token.
        errors.Require(options.RepositoryUrl.Contains("{package}", StringComparison.Ordinal),
            $"{PackageCatalogOptions.Section}:RepositoryUrl must contain {{package}} (e.g. \"/srv/git/packages/{{package}}.git\")");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
