using Builder.Core.Pockets;
using Builder.Daemon.Acl;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

/// <summary>Start-up checks of the daemon's own sections; every problem is reported at once, each naming its key.</summary>
internal sealed class DaemonOptionsValidator :
    IValidateOptions<HttpApiOptions>, IValidateOptions<AclOptions>, IValidateOptions<PocketsOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpApiOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Urls))
        {
            errors.Add("Http:Urls is required (e.g. \"http://127.0.0.1:8600\")");
        }
        if (options.MaxRequestBodyBytes is < 4096 or > 1024 * 1024)
        {
            errors.Add($"Http:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; it must be between 4096 and 1048576");
        }
        if (options.ReplayWindow <= TimeSpan.Zero || options.ReplayWindow > TimeSpan.FromHours(1))
        {
            errors.Add($"Http:ReplayWindow is {options.ReplayWindow}; it must be more than 0 and at most 01:00:00");
        }
        if (options.PublicUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"Http:PublicUrl '{url}' is not an absolute URL");
        }
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, AclOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            errors.Add("Acl:Directory is required (e.g. \"/etc/builder/acl\")");
        }
        if (options.Debounce < TimeSpan.Zero || options.Debounce > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Acl:Debounce is {options.Debounce}; it must be between 00:00:00 and 00:01:00");
        }
        if (options.RescanInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Acl:RescanInterval is {options.RescanInterval}; it must be at least 00:00:01");
        }
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, PocketsOptions options)
    {
        var errors = new List<string>();
        if (options.Count == 0)
        {
            errors.Add("Pockets is empty: configure at least one pocket (e.g. \"Pockets\": { \"dev\": { \"Branch\": \"dev\" } })");
        }
        foreach (var (pocket, settings) in options)
        {
            if (!PocketNames.IsValidPocket(pocket))
            {
                errors.Add($"Pockets:{pocket}: '{pocket}' is not a valid pocket name ([a-z0-9][a-z0-9-]*, at most {PocketNames.MaxLength} characters)");
            }
            if (string.IsNullOrWhiteSpace(settings.Branch))
            {
                errors.Add($"Pockets:{pocket}:Branch is required");
            }
            TrustedPockets(errors, options, pocket, nameof(PocketOptions.CopyFrom), settings.CopyFrom);
            TrustedPockets(errors, options, pocket, nameof(PocketOptions.BuildDepsFrom), settings.BuildDepsFrom);
        }
        return Result(errors);
    }

    /// <summary>CopyFrom and BuildDepsFrom name other configured pockets, each once.</summary>
    private static void TrustedPockets(List<string> errors, PocketsOptions options, string pocket, string key, IList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var where = $"Pockets:{pocket}:{key}:{i}";
            if (name == pocket)
            {
                errors.Add($"{where}: '{pocket}' names the pocket itself; a pocket always trusts its own repository");
            }
            else if (!options.ContainsKey(name))
            {
                errors.Add($"{where}: '{name}' is not a configured pocket");
            }
            else if (!seen.Add(name))
            {
                errors.Add($"{where}: '{name}' is listed twice");
            }
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
