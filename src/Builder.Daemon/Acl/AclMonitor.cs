using Builder.Core.Acl;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Acl;

/// <summary>
/// Holds the ACL tree in force and reloads it when files change: a file watcher with a debounce (editors write in
/// several steps), plus a periodic rescan because watchers can miss events. A reload builds a whole new
/// <see cref="AclTree"/> and swaps the reference, so a request sees one consistent tree. A tree with errors is still
/// swapped in: its broken pockets are closed (fail-closed) while unaffected pockets stay open.
/// </summary>
internal sealed partial class AclMonitor : BackgroundService
{
    private readonly AclOptions _options;
    private readonly ILogger<AclMonitor> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _changed = new(0);
    private AclTree _current;

    public AclMonitor(IOptions<AclOptions> options, ILogger<AclMonitor> logger, TimeProvider time)
    {
        _options = options.Value;
        _logger = logger;
        _time = time;
        _current = Load();
    }

    /// <summary>The tree in force. Never null; read it once per request.</summary>
    public AclTree Current => Volatile.Read(ref _current);

    /// <summary>Loads the tree now (used by tests and by the periodic rescan); returns true when it changed.</summary>
    public bool Reload()
    {
        var next = Load();
        var previous = Interlocked.Exchange(ref _current, next);
        if (previous.Hash == next.Hash)
        {
            return false;
        }
        Log.Reloaded(_logger, next.Hash, next.Pockets.Count, next.Errors.Count);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = CreateWatcher();
        while (!stoppingToken.IsCancellationRequested)
        {
            // Wake on a change notification or when the rescan period is over, whichever comes first.
            using var rescan = new CancellationTokenSource(_options.RescanInterval, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, rescan.Token);
            try
            {
                await _changed.WaitAsync(linked.Token);
                await Task.Delay(_options.Debounce, _time, stoppingToken);
                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Rescan period elapsed.
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Reload();
        }
    }

    private FileSystemWatcher? CreateWatcher()
    {
        if (!System.IO.Directory.Exists(_options.Directory))
        {
            return null;
        }
        try
        {
            var watcher = new FileSystemWatcher(_options.Directory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
            };
            watcher.Changed += (_, _) => _changed.Release();
            watcher.Created += (_, _) => _changed.Release();
            watcher.Deleted += (_, _) => _changed.Release();
            watcher.Renamed += (_, _) => _changed.Release();
            watcher.Error += (_, e) =>
            {
                Log.WatcherFailed(_logger, e.GetException());
                _changed.Release();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (IOException ex)
        {
            // inotify limits reached: the periodic rescan still picks up changes.
            Log.WatcherFailed(_logger, ex);
            return null;
        }
    }

    private AclTree Load()
    {
        var tree = AclTree.Load(_options.Directory);
        foreach (var error in tree.Errors)
        {
            Log.TreeError(_logger, error.ToString());
        }
        return tree;
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Information, "ACL tree reloaded: {AclHash}, {PocketCount} pockets, {ErrorCount} errors")]
        public static partial void Reloaded(ILogger logger, string aclHash, int pocketCount, int errorCount);

        [LoggerMessage(8002, LogLevel.Warning, "ACL tree error (the affected pockets are closed): {AclError}")]
        public static partial void TreeError(ILogger logger, string aclError);

        [LoggerMessage(8003, LogLevel.Warning, "ACL file watcher failed; relying on the periodic rescan")]
        public static partial void WatcherFailed(ILogger logger, Exception exception);
    }
}
