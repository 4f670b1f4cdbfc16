using System.Globalization;
using System.Text;
using Builder.Core.Diagnostics;
using Builder.Core.Text;

namespace Builder.Daemon.Logs;

/// <summary>
/// Appends to one build's log and holds it to Logs:MaxBuildLog bytes, however much a guest, a hook or a tool prints:
/// the file never grows past the cap and the writer keeps at most one line in memory. Lines written as text (the
/// guest's, prefixed <see cref="GuestPrefix"/>; hooks', prefixed <see cref="HookPrefix"/>) stop
/// <see cref="DaemonReserve"/> bytes before the cap, with one line saying so; the daemon's own timestamped lines
/// (<see cref="WriteDaemonLine"/>) may use that reserve, so the outcome, audit and notification lines of a flooded
/// build are still there. Every line is flushed as it is written (readers follow the file).
/// </summary>
internal sealed partial class BuildLogWriter : TextWriter
{
    /// <summary>Marks a line of the guest's serial console among the daemon's own.</summary>
    public const string GuestPrefix = "guest| ";

    /// <summary>Marks a line a hook printed.</summary>
    public const string HookPrefix = "hook| ";

    /// <summary>The tail of Logs:MaxBuildLog kept for the daemon's own lines.</summary>
    public const int DaemonReserve = 64 << 10;

    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly FileStream _file;
    private readonly long _max;
    private readonly int _maxLine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _buildId;
    private readonly StringBuilder _pending = new();
    private readonly Lock _lock = new();
    private long _written;
    private bool _capped;

    public BuildLogWriter(string path, long maxBytes, int maxLine, TimeProvider time, ILogger logger, long buildId)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _max = maxBytes;
        _maxLine = maxLine;
        _time = time;
        _logger = logger;
        _buildId = buildId;
        // A later attempt appends to the same file: what earlier attempts wrote counts.
        _written = _file.Length;
        _capped = _written >= _max - DaemonReserve;
    }

    public override Encoding Encoding => Utf8;

    /// <summary>Bytes in the file now.</summary>
    public long Length
    {
        get
        {
            lock (_lock)
            {
                return _written;
            }
        }
    }

    /// <summary>Whether output lines have been dropped at the cap.</summary>
    public bool Capped
    {
        get
        {
            lock (_lock)
            {
                return _capped;
            }
        }
    }

    /// <summary>A line of the guest's serial console: cleaned and prefixed, so it cannot pass for the daemon's.</summary>
    public void WriteGuestLine(string line)
    {
        // Past the cap a flooding guest costs no more than this check per line.
        if (!Capped)
        {
            WriteLine(GuestPrefix + UntrustedText.Clean(Cut(line)));
        }
    }

    /// <summary>A daemon-side line, timestamped; it may use the reserved tail.</summary>
    public void WriteDaemonLine(string text)
    {
        // Daemon lines quote reasons that carry tool or guest text: cleaned, they stay one line.
        var line = Timestamped(UntrustedLines.Join(text));
        lock (_lock)
        {
            Append(line, _max);
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                EmitPending();
            }
            else if (_pending.Length < _maxLine)
            {
                _pending.Append(value);
            }
            else
            {
                // An endless line is broken into pieces: memory stays one line, whatever arrives.
                EmitPending();
                _pending.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }
        lock (_lock)
        {
            foreach (var c in value)
            {
                Write(c);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            if (_pending.Length == 0 && value is not null && value.Length <= _maxLine && !value.Contains('\n', StringComparison.Ordinal))
            {
                Emit(value);
                return;
            }
            Write(value);
            EmitPending();
        }
    }

    public override void WriteLine() => Write('\n');

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (_lock)
        {
            _file.Flush();
        }
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                if (_pending.Length > 0)
                {
                    EmitPending();
                }
                _file.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private string Cut(string line) => line.Length > _maxLine ? line[.._maxLine] : line;

    private string Timestamped(string text) =>
        string.Create(CultureInfo.InvariantCulture, $"[{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}] builder: {text}");

    private void EmitPending()
    {
        var line = _pending.ToString();
        _pending.Clear();
        Emit(line);
    }

    private void Emit(string line)
    {
        if (_capped)
        {
            return;
        }
        var bytes = Utf8.GetByteCount(line) + 1;
        if (_written + bytes > _max - DaemonReserve)
        {
            _capped = true;
            Append(Timestamped(string.Create(CultureInfo.InvariantCulture,
                $"build log cap of {_max} bytes (Logs:MaxBuildLog) reached; further lines are dropped")), _max);
            LimitHits.Record("Logs:MaxBuildLog");
            Log.Capped(_logger, _buildId, _max);
            return;
        }
        Append(line, _max);
    }

    private void Append(string line, long limit)
    {
        var bytes = Utf8.GetBytes(line + "\n");
        if (_written + bytes.Length > limit)
        {
            return;
        }
        _file.Write(bytes);
        _file.Flush();
        _written += bytes.Length;
    }

    private static partial class Log
    {
        [LoggerMessage(8801, LogLevel.Warning, "Build {BuildId}: the build log reached Logs:MaxBuildLog ({MaxBytes} bytes); further output lines are dropped")]
        public static partial void Capped(ILogger logger, long buildId, long maxBytes);
    }
}
