using Builder.Core.Options;
using Builder.Core.Pockets;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

/// <summary>
/// Checks the whole <c>Pockets</c> section and reports every problem at once, each naming its key. Whether each pocket's
/// farm pool exists is <see cref="PocketFarmPoolValidator"/>'s part: it needs the Farm section.
/// </summary>
internal sealed class PocketsOptionsValidator : IValidateOptions<PocketsOptions>
{
    public ValidateOptionsResult Validate(string? name, PocketsOptions options)
    {
        var errors = new OptionsErrors();
        errors.Require(options.Count > 0, "Pockets is empty: configure at least one pocket (e.g. \"Pockets\": { \"dev\": { \"Branch\": \"dev\" } })");
        foreach (var (pocket, settings) in options)
        {
            errors.Require(PocketNames.IsValidPocket(pocket),
                $"Pockets:{pocket}: '{pocket}' is not a valid pocket name ([a-z0-9][a-z0-9-]*, at most {PocketNames.MaxLength} characters)");
            errors.Required($"Pockets:{pocket}:Branch", settings.Branch);
            TrustedPockets(errors, options, pocket, nameof(PocketOptions.CopyFrom), settings.CopyFrom);
            TrustedPockets(errors, options, pocket, nameof(PocketOptions.BuildDepsFrom), settings.BuildDepsFrom);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>CopyFrom and BuildDepsFrom name other configured pockets, each once.</summary>
    private static void TrustedPockets(OptionsErrors errors, PocketsOptions options, string pocket, string key, IList<string> names)
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
}
