using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

/// <summary>Checks the whole <c>Http</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class HttpApiOptionsValidator : IValidateOptions<HttpApiOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpApiOptions options)
    {
        var errors = new OptionsErrors();
        errors.Required("Http:Urls", options.Urls, "(e.g. \"http://127.0.0.1:8600\")");
        errors.Require(options.MaxRequestBodyBytes is >= 4096 and <= 1024 * 1024,
            $"Http:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; it must be between 4096 and 1048576");
        errors.Require(options.ReplayWindow > TimeSpan.Zero && options.ReplayWindow <= TimeSpan.FromHours(1),
            $"Http:ReplayWindow is {options.ReplayWindow}; it must be more than 0 and at most 01:00:00");
        if (options.PublicUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"Http:PublicUrl '{url}' is not an absolute URL");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
