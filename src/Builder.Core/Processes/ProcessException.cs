namespace Builder.Core.Processes;

/// <summary>A program could not be run to a successful end; the message names the command and says why.</summary>
public class ProcessException : Exception
{
    public ProcessException(string command, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Command = command;
    }

    /// <summary>The command as <see cref="ProcessCommand.DisplayName"/> shows it.</summary>
    public string Command { get; }
}
