namespace Builder.Farm.Tests.Support;

/// <summary>Exit status, stdout and stderr of a finished program (all kept for the failure message).</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
