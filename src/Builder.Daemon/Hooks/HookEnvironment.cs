using Builder.Core.Processes;

namespace Builder.Daemon.Hooks;

/// <summary>
/// A hook's whole environment, the documented contract (README, Hooks): PATH, LANG, HOME and the BUILDER_* variables
/// of <see cref="HookContext"/>; nothing of the daemon's own (its settings and secrets arrive as BUILDER__… variables).
/// </summary>
internal static class HookEnvironment
{
    /// <summary>Admins' tools too (/usr/local): a hook is the admin's script, not a tool of the daemon's.</summary>
    public const string Path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static void Fill(ProcessCommand command, HookContext context)
    {
        command.Environment["PATH"] = Path;
        command.Environment["LANG"] = ChildEnvironment.Lang;
        // The daemon user's home from the account database (git and ssh in a hook look there), not the daemon's HOME.
        command.Environment["HOME"] = UserAccount.Home;
        foreach (var (key, value) in context.Environment())
        {
            command.Environment[key] = value;
        }
    }
}
