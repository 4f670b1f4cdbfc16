namespace Builder.Core.Processes;

/// <summary>How a program ended, with the last <see cref="ProcessCommand.MaxOutput"/> characters of its stdout and stderr.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Some of stdout or stderr was dropped to keep within <see cref="ProcessCommand.MaxOutput"/>.</summary>
    public bool Truncated { get; init; }
}
