namespace Builder.Cli;

/// <summary>A failure the CLI reports as one line on stderr and an exit code.</summary>
internal sealed class CliException(ExitCode code, string message) : Exception(message)
{
    public ExitCode Code { get; } = code;
}
