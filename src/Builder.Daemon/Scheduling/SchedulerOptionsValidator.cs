using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Scheduling;

/// <summary>Checks the whole <c>Scheduler</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        const string s = SchedulerOptions.Section;
        var errors = new OptionsErrors();
        errors.InRange($"{s}:Slots", options.Slots, 1, 64);
        errors.Require(options.DispatchInterval >= TimeSpan.FromMilliseconds(100),
            $"{s}:DispatchInterval must be at least 00:00:00.1 (is {options.DispatchInterval})");
        // A live daemon whose check-in is late once must not look dead: its running builds would be recovered elsewhere.
        errors.Require(options.HeartbeatInterval >= TimeSpan.FromSeconds(1) && options.DeadAfter > 2 * options.HeartbeatInterval,
            $"{s}:DeadAfter must be more than twice {s}:HeartbeatInterval (at least 00:00:01); "
            + $"they are {options.DeadAfter} and {options.HeartbeatInterval}");
        errors.InRange($"{s}:CleanupInterval", options.CleanupInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        errors.InRange($"{s}:NonceExpiryInterval", options.NonceExpiryInterval, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1));
        // The host name is part of the daemon's id (host:pid:ticks), which Quartz stores as its 200-character instance id.
        errors.Require(options.HostName is null || (options.HostName.Length is >= 1 and <= 64
                && options.HostName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')),
            $"{s}:HostName must be 1 to 64 of A-Z a-z 0-9 . - _ (is '{Builder.Core.Text.UntrustedText.CleanCut(options.HostName ?? "", 80)}')");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
