using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Apt;

/// <summary>Checks the whole <c>BuildDeps</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class BuildDepsOptionsValidator : IValidateOptions<BuildDepsOptions>
{
    public ValidateOptionsResult Validate(string? name, BuildDepsOptions options)
    {
        const string b = BuildDepsOptions.Section;
        var errors = new OptionsErrors();
        for (var i = 0; i < options.SourceFiles.Count; i++)
        {
            var file = options.SourceFiles[i];
            errors.Require(File.Exists(file), $"{b}:SourceFiles:{i} names a file that does not exist ('{file}')");
        }
        errors.Required($"{b}:CacheDirectory", options.CacheDirectory);
        // Written between quotes into apt.conf: a quote, a control character or a space would end or break it.
        errors.Require(options.Proxy.Length == 0
                || (Uri.TryCreate(options.Proxy, UriKind.Absolute, out var proxy) && proxy.Scheme is "http" or "https"
                    && !options.Proxy.Any(c => c is '"' or ' ' || char.IsControl(c))),
            $"{b}:Proxy must be empty or an http:// or https:// URL (e.g. \"http://proxy.example.org:3128/\")");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
