using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline;

/// <summary>Checks the whole <c>Pipeline</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    /// <summary>The shortest retention of a finished build's files: its notification and hooks run after its final state.</summary>
    private static readonly TimeSpan MinimumRetention = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        const string p = PipelineOptions.Section;
        var errors = new OptionsErrors();
        errors.AbsolutePath($"{p}:WorkDirectory", options.WorkDirectory);
        errors.InRange($"{p}:Parallel", options.Parallel, 1, 256);
        errors.AtLeast($"{p}:KeepWorkFor", options.KeepWorkFor, MinimumRetention);
        errors.InRange($"{p}:EndAttempts", options.EndAttempts, 1, 20);
        errors.InRange($"{p}:EndRetryDelay", options.EndRetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
