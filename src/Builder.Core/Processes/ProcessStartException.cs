using System.ComponentModel;

namespace Builder.Core.Processes;

/// <summary>The program could not be started (not installed, not executable, missing working directory).</summary>
public sealed class ProcessStartException(ProcessCommand command, Win32Exception innerException)
    : ProcessException(command.DisplayName, $"cannot run {command.FileName}: {innerException.Message}", innerException);
