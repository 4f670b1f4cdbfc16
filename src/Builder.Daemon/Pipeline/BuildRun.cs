using Builder.Daemon.Logs;
using Builder.Store.Builds;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// One pipeline run of one build: its log writer, work directory, and a token that fires when the daemon stops
/// or when someone asks to cancel the build (then <see cref="CancelRequested"/> tells the two apart).
/// </summary>
internal sealed class BuildRun : IAsyncDisposable
{
    private readonly BuildRepository _builds;
    private readonly BuildLogStore _logs;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cancelPoll;
    private readonly CancellationTokenSource _cts;
    private readonly BuildLogWriter _log;
    private readonly Task _watcher;

    public BuildRun(BuildRecord build, string workDirectory, BuildRepository builds, BuildLogStore logs, TimeProvider time, TimeSpan cancelPoll,
        CancellationToken stopping)
    {
        _builds = builds;
        _logs = logs;
        _time = time;
        _cancelPoll = cancelPoll;
        Build = build;
        WorkDirectory = workDirectory;
        Directory.CreateDirectory(WorkDirectory);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _log = _logs.OpenAppend(build.Id);
        _watcher = WatchForCancelAsync();
    }

    public BuildRecord Build { get; }

    public long BuildId => Build.Id;

    public string WorkDirectory { get; }

    public CancellationToken Token => _cts.Token;

    /// <summary>True once a cancel request for this build was seen (as opposed to the daemon stopping).</summary>
    public bool CancelRequested { get; private set; }

    public string LogPath => _logs.PathOf(Build.Id);

    /// <summary>A copy's files as the pocket serves them (its build-end record's artifacts); null for a build.</summary>
    public IReadOnlyList<Builder.Core.Audit.AuditArtifact>? Published { get; set; }

    /// <summary>A daemon-side line in the build log, timestamped (and cleaned: it may quote a tool's or the guest's text).</summary>
    public Task LogAsync(string line)
    {
        _log.WriteDaemonLine(line);
        return Task.CompletedTask;
    }

    /// <summary>A daemon-side line about a bound the build reached, from another thread (the gateway's); never blocks for long.</summary>
    public void Limit(string line) => _log.WriteDaemonLine(line);

    /// <summary>A line of the guest's serial console, marked <c>guest| </c>.</summary>
    public void Guest(string line) => _log.WriteGuestLine(line);

    /// <summary>The log for hooks (their lines are marked <c>hook| </c> by the runner); thread-safe, held to Logs:MaxBuildLog.</summary>
    public TextWriter Writer => _log;

    /// <summary>A guarded state change of this build (false: the build was not in <see cref="StateChange.From"/>).</summary>
    public Task<bool> TransitionAsync(StateChange transition, CancellationToken cancellationToken) =>
        _builds.TransitionAsync(Build.Id, transition.From, transition.To, transition.Stage, transition.Reason, transition.Message, cancellationToken);

    private async Task WatchForCancelAsync()
    {
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                await Task.Delay(_cancelPoll, _time, _cts.Token);
                var now = await _builds.GetAsync(Build.Id, _cts.Token);
                if (now?.CancelRequestedAt is not null)
                {
                    CancelRequested = true;
                    await _cts.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _watcher;
        await _log.FlushAsync();
        await _log.DisposeAsync();
        _cts.Dispose();
    }
}
