using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Acl;

/// <summary>Checks the whole <c>Acl</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class AclOptionsValidator : IValidateOptions<AclOptions>
{
    public ValidateOptionsResult Validate(string? name, AclOptions options)
    {
        var errors = new OptionsErrors();
        errors.Required("Acl:Directory", options.Directory, "(e.g. \"/etc/builder/acl\")");
        errors.Require(options.Debounce >= TimeSpan.Zero && options.Debounce <= TimeSpan.FromMinutes(1),
            $"Acl:Debounce is {options.Debounce}; it must be between 00:00:00 and 00:01:00");
        errors.Require(options.RescanInterval >= TimeSpan.FromSeconds(1),
            $"Acl:RescanInterval is {options.RescanInterval}; it must be at least 00:00:01");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
