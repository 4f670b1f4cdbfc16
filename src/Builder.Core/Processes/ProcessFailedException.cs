namespace Builder.Core.Processes;

/// <summary>The program ended with a non-zero exit status; the message quotes the end of its stderr (else of its stdout).</summary>
internal sealed class ProcessFailedException(ProcessCommand command, ProcessResult result)
    : ProcessException(command.DisplayName, $"{command.DisplayName} failed with exit status {result.ExitCode}{Quote(result)}")
{
    public ProcessResult Result { get; } = result;

    public int ExitCode => Result.ExitCode;

    private static string Quote(ProcessResult result) =>
        result.StandardError.Trim() is { Length: > 0 } error ? $": {BoundedOutput.Tail(error)}"
        : result.StandardOutput.Trim() is { Length: > 0 } output ? $": {BoundedOutput.Tail(output)}"
        : " and no output";
}
