using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hooks;

/// <summary>Checks the whole <c>Hooks</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class HooksOptionsValidator : IValidateOptions<HooksOptions>
{
    public ValidateOptionsResult Validate(string? name, HooksOptions options)
    {
        var errors = new OptionsErrors();
        errors.Required($"{HooksOptions.Section}:Directory", options.Directory, "(e.g. \"/etc/builder/hooks\")");
        errors.Positive($"{HooksOptions.Section}:Timeout", options.Timeout);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
