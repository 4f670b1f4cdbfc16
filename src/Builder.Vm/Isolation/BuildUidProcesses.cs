using System.Globalization;
using Builder.Core.Processes;

namespace Builder.Vm.Isolation;

/// <summary>
/// Processes running under a build uid. qemu itself dies with its parent (parent-death signal), but anything an
/// escaped guest forked under the same uid would not: before a uid is handed out and after its VM ended, every process
/// of that uid is killed, so nothing of one build waits for the next build that gets the same uid.
/// </summary>
internal static class BuildUidProcesses
{
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// setpriv's arguments to become the build uid with gid = uid, no supplementary groups and no capability at all;
    /// no_new_privs so that nothing it runs can gain any back.
    /// </summary>
    public static IReadOnlyList<string> BecomeArguments(uint uid)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        return [$"--reuid={id}", $"--regid={id}", "--clear-groups", .. CapabilityDrop.All];
    }

    /// <summary>Kills every process of <paramref name="uid"/> and checks in /proc that none is left.</summary>
    /// <exception cref="InvalidOperationException">some survived (should not happen: SIGKILL cannot be caught).</exception>
    public static async Task KillAllAsync(uint uid)
    {
        for (var round = 0; round < 5; round++)
        {
            if (Of(uid).Count == 0)
            {
                return;
            }
            // kill(-1) as the uid itself reaches every process of that uid in one pass of the kernel's task list, which a
            // forking process cannot outrun (a scan of /proc and one kill per pid could be). Its exit status is 1 when it
            // found nothing to signal, so only the /proc check says whether it worked. No cancellation: this is cleanup.
            await ProcessRunner.RunAsync(new ProcessCommand(CapabilityDrop.Setpriv, [.. BecomeArguments(uid), "--", "kill", "-KILL", "-1"])
            {
                KeepCapabilities = true, Timeout = KillTimeout,
            }, CancellationToken.None);
            await Task.Delay(TimeSpan.FromMilliseconds(50 << round), CancellationToken.None);
        }
        var left = Of(uid);
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"processes of build uid {uid} survived SIGKILL: pids {string.Join(' ', left)}");
        }
    }

    /// <summary>Live (not zombie) processes whose real or effective uid is <paramref name="uid"/>.</summary>
    public static IReadOnlyList<int> Of(uint uid)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                var ids = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?
                    .Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(2).ToArray() ?? [];
                var zombie = status.Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains("Z (zombie)", StringComparison.Ordinal));
                if (!zombie && ids.Any(i => i == uid.ToString(CultureInfo.InvariantCulture)))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked.
            }
        }
        return found;
    }
}
