using Builder.Core.Options;
using Builder.Farm;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

/// <summary>
/// Each <c>Pockets:&lt;p&gt;:FarmPool</c> names a configured farm pool. The pool names come straight from the
/// configuration (Farm:Pools, or the one pool 'default' of Farm:Hosts), so a broken Farm section is reported by its
/// own validator only.
/// </summary>
internal sealed class PocketFarmPoolValidator(IConfiguration configuration) : IValidateOptions<PocketsOptions>
{
    public ValidateOptionsResult Validate(string? name, PocketsOptions options)
    {
        var pools = configuration.GetSection(FarmOptions.Section + ":" + nameof(FarmOptions.Pools)).GetChildren().Select(c => c.Key).ToList();
        if (pools.Count == 0)
        {
            pools.Add(FarmOptions.DefaultPool);
        }
        var errors = new OptionsErrors();
        foreach (var (pocket, settings) in options)
        {
            if (settings.FarmPool is { } pool && !pools.Contains(pool, StringComparer.Ordinal))
            {
                errors.Add($"Pockets:{pocket}:FarmPool: '{pool}' is not a farm pool (Farm:Pools has {string.Join(", ", pools.Order(StringComparer.Ordinal))})");
            }
            else if (settings.FarmPool is null && !pools.Contains(FarmOptions.DefaultPool, StringComparer.Ordinal))
            {
                errors.Add($"Pockets:{pocket}:FarmPool is not set and Farm:Pools has no pool '{FarmOptions.DefaultPool}': name this pocket's pool ({string.Join(", ", pools.Order(StringComparer.Ordinal))})");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
