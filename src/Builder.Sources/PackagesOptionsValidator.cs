using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Sources;

/// <summary>Reports every problem of the <c>Packages</c> section at once, each naming its key.</summary>
internal sealed class PackagesOptionsValidator : IValidateOptions<PackagesOptions>
{
    public ValidateOptionsResult Validate(string? name, PackagesOptions options)
    {
        var errors = new OptionsErrors();
        const string p = PackagesOptions.Section;
        if (!options.RepositoryUrl.Contains(PackagesOptions.PackagePlaceholder, StringComparison.Ordinal))
        {
            errors.Add($"{p}:RepositoryUrl must contain {PackagesOptions.PackagePlaceholder} (e.g. \"/srv/git/packages/{{package}}.git\")");
        }
        else if (options.RepositoryUrl.Any(char.IsControl))
        {
            errors.Add($"{p}:RepositoryUrl contains a control character");
        }
        if (!Path.IsPathFullyQualified(options.MirrorDirectory))
        {
            errors.Add($"{p}:MirrorDirectory must be an absolute path (is \"{options.MirrorDirectory}\")");
        }
        if (options.MaxExportBytes <= 0)
        {
            errors.Add($"{p}:MaxExportBytes must be positive");
        }
        if (options.MaxExportEntries <= 0)
        {
            errors.Add($"{p}:MaxExportEntries must be positive");
        }
        if (string.IsNullOrWhiteSpace(options.TaggerName) || options.TaggerName.Any(c => char.IsControl(c) || c is '<' or '>'))
        {
            errors.Add($"{p}:TaggerName must be a non-empty name without '<', '>' or control characters");
        }
        var at = options.TaggerEmail.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == options.TaggerEmail.Length - 1 || options.TaggerEmail.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>'))
        {
            errors.Add($"{p}:TaggerEmail must be an e-mail address like builder@example.org");
        }
        Positive(errors, $"{p}:MirrorLockTimeout", options.MirrorLockTimeout);
        Positive(errors, $"{p}:FetchTimeout", options.FetchTimeout);
        Positive(errors, $"{p}:DpkgSourceTimeout", options.DpkgSourceTimeout);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(OptionsErrors errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive duration (e.g. \"00:10:00\")");
        }
    }
}
