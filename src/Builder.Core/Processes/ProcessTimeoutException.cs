namespace Builder.Core.Processes;

/// <summary>The program ran past its <see cref="ProcessCommand.Timeout"/>; its process tree was killed.</summary>
internal sealed class ProcessTimeoutException(ProcessCommand command, string standardError)
    : ProcessException(command.DisplayName, $"{command.DisplayName} ran longer than {command.Timeout} and was killed"
        + (standardError.Trim() is { Length: > 0 } e ? $"; stderr: {BoundedOutput.Tail(e)}" : ""))
{
    public TimeSpan Timeout { get; } = command.Timeout;

    /// <summary>What it wrote to stderr before it was killed.</summary>
    public string StandardError { get; } = standardError;
}
