namespace Builder.Daemon.Hooks;

/// <summary>How one hook ended. A failed hook is reported; it never changes the build's result.</summary>
internal sealed record HookResult(string Name, int? ExitCode, bool TimedOut, TimeSpan Duration, string? Error)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut && Error is null;
}
