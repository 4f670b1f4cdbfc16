namespace Builder.Sources.Packaging;

/// <summary>How a tool ended; stdout and stderr are kept (their last 64 KiB) for the build log and error messages.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
