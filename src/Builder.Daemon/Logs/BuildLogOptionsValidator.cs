using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Logs;

/// <summary>Checks the whole <c>Logs</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class BuildLogOptionsValidator : IValidateOptions<BuildLogOptions>
{
    public ValidateOptionsResult Validate(string? name, BuildLogOptions options)
    {
        const string l = BuildLogOptions.Section;
        var errors = new OptionsErrors();
        errors.Required($"{l}:Directory", options.Directory, "(e.g. \"/var/lib/builder/logs\")");
        errors.Positive($"{l}:FollowTimeout", options.FollowTimeout);
        errors.Positive($"{l}:FollowPollInterval", options.FollowPollInterval);
        // A finished build's notification and hooks still read and write its log after its final state.
        errors.AtLeast($"{l}:KeepFor", options.KeepFor, TimeSpan.FromHours(1));
        errors.Require(options.MaxBuildLog >= 4 * BuildLogWriter.DaemonReserve,
            $"{l}:MaxBuildLog must be at least {4 * BuildLogWriter.DaemonReserve} bytes "
            + $"(four times the daemon's reserved tail; is {options.MaxBuildLog})");
        errors.InRange($"{l}:MaxLineLength", options.MaxLineLength, 256, 1 << 20);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
