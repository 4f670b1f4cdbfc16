using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Apt;

/// <summary>Checks the <c>Apt</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class AptOptionsValidator : IValidateOptions<AptOptions>
{
    public ValidateOptionsResult Validate(string? name, AptOptions options)
    {
        var errors = new OptionsErrors();
        errors.AbsolutePath($"{AptOptions.Section}:BaseDirectory", options.BaseDirectory, "(e.g. \"/srv/apt\")");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
