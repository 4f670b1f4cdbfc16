using System.Diagnostics;

namespace Builder.Core.Processes;

/// <summary>
/// A program to run and its argument list — never a shell string, so no value is ever re-parsed by a shell — with
/// what it may see (working directory, environment, stdin) and the bounds it runs under (time, captured output).
/// </summary>
public sealed class ProcessCommand
{
    /// <summary>Characters of stdout and of stderr kept by default (the last ones: that is where tools put their verdict).</summary>
    public const int DefaultMaxOutput = 64 * 1024;

    private readonly TimeSpan _timeout = System.Threading.Timeout.InfiniteTimeSpan;
    private readonly int _maxOutput = DefaultMaxOutput;
    private readonly string? _displayName;

    public ProcessCommand(string fileName, IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        FileName = fileName;
        Arguments = [.. arguments];
    }

    public string FileName { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>How error messages name the command; the program and all its arguments unless set (e.g. to leave out long paths).</summary>
    public string DisplayName
    {
        get => _displayName ?? string.Join(' ', [FileName, .. Arguments]);
        init => _displayName = value;
    }

    /// <summary>The working directory; the caller's when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Variables the program gets besides <c>PATH</c> and <c>LANG</c> (<see cref="ChildEnvironment"/>), or instead of them;
    /// a null value leaves one out. The program starts from an empty environment: nothing of this process's own
    /// (its settings, credentials, the operator's LD_PRELOAD) reaches it unless set here or named in <see cref="Inherit"/>.
    /// </summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>
    /// Variables taken from this process's environment by name (<c>Inherit = { "SSH_AUTH_SOCK" }</c>), for a program
    /// that needs one of the caller's (the CLI's ssh-keygen and the user's agent); a name this process lacks is left out.
    /// There is no way to name them all.
    /// </summary>
    public InheritedVariables Inherit { get; } = [];

    /// <summary>Bytes written to stdin, which is then closed; null closes stdin at once (like <c>&lt;/dev/null</c>).</summary>
    public byte[]? StandardInput { get; init; }

    /// <summary>How long the program may run before its process tree is killed; infinite by default.</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        init => _timeout = value > TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "a process timeout must be positive or infinite");
    }

    /// <summary>Characters kept of stdout and of stderr each (the last ones); the rest is read and dropped.</summary>
    public int MaxOutput
    {
        get => _maxOutput;
        init => _maxOutput = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxOutput), value, "must be positive");
    }

    /// <summary>The clock <see cref="Timeout"/> runs on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Start the program with the caller's capabilities instead of through the <see cref="CapabilityDrop"/> wrapper.
    /// Only for a program that itself changes to an unprivileged uid and drops every capability before it runs
    /// anything else (the VM runner's <c>setpriv</c> to a build uid); nothing else may set it.
    /// </summary>
    public bool KeepCapabilities { get; init; }

    /// <summary>
    /// The start info with every stream redirected and the child's environment (<see cref="ChildEnvironment"/>); for
    /// callers that manage a long-running process themselves (qemu). <see cref="ProcessRunner"/> is the way to run a
    /// tool to completion. When this process holds any capability, the program is started through <c>setpriv</c> with
    /// every capability dropped (<see cref="CapabilityDrop"/>), unless <see cref="KeepCapabilities"/>.
    /// </summary>
    public ProcessStartInfo ToStartInfo() => ToStartInfo(ProcessPrivileges.Current);

    /// <summary><see cref="ToStartInfo()"/> for a parent with <paramref name="parent"/>'s privileges.</summary>
    public ProcessStartInfo ToStartInfo(ProcessPrivileges parent)
    {
        // A program that cannot be found is started as it is, so its start fails here (ProcessStartException, "could
        // not start") instead of as setpriv's exit status 127; nothing runs either way.
        var program = KeepCapabilities ? null : Resolve(FileName);
        var drop = program is null ? [] : CapabilityDrop.Arguments(parent);
        var info = new ProcessStartInfo(drop.Count == 0 ? FileName : CapabilityDrop.Setpriv)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (WorkingDirectory is not null)
        {
            info.WorkingDirectory = WorkingDirectory;
        }
        if (drop.Count > 0)
        {
            foreach (var argument in drop)
            {
                info.ArgumentList.Add(argument);
            }
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program!);
        }
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        ChildEnvironment.Fill(info.Environment, Inherit, Environment);
        return info;
    }

    public override string ToString() => DisplayName;

    // The program as Process.Start would find it (this process's PATH: the unit's, where the operator installed the tools),
    // so the wrapper runs the same file. What the program runs in turn it finds on the child's own fixed PATH.
    private static string? Resolve(string fileName)
    {
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        static bool Executable(string candidate) => File.Exists(candidate) && (File.GetUnixFileMode(candidate) & anyExecute) != 0;
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(fileName);
            return Executable(full) ? full : null;
        }
        return (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, fileName))
            .FirstOrDefault(Executable);
    }
}
