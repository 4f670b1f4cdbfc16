using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Builder.Core.Diagnostics;
using Builder.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Vm.Running;

/// <summary>
/// Reads the guest's serial console (qemu's stdout): splits it into lines (long lines are broken at
/// <c>maxLine</c> bytes: the job's <see cref="Jobs.VmJob.MaxLogLine"/>, the build log's Logs:MaxLineLength, so a line is
/// cut once, here, in console.log and in the build log alike), notes the agent's markers in the raw bytes, cleans each line
/// (<see cref="UntrustedText"/>), appends it to console.log up to Vm:MaxConsoleLog and hands it to the caller (who
/// marks it as the guest's in the build log and holds that to its own cap). The guest controls every byte here:
/// memory stays one line whatever it prints.
/// </summary>
internal sealed partial class ConsoleCapture(Stream console, string logPath, long maxLogBytes, Action<string>? onLine, TimeProvider time,
    ILogger? logger = null, long buildId = 0, int maxLine = ConsoleCapture.DefaultMaxLine)
{
    /// <summary>The line length in bytes when the caller names none (Logs:MaxLineLength's default).</summary>
    public const int DefaultMaxLine = 4096;
    public const string ReadyMarker = "builder-agent: ready";

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public long? ReadyTimestamp { get; private set; }

    public string LastLine { get; private set; } = "";

    /// <summary>console.log reached Vm:MaxConsoleLog and later lines were left out of it.</summary>
    public bool LogCapped { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 12, useAsync: true);
        var buffer = new byte[1 << 14];
        var line = new List<byte>(Math.Min(maxLine, DefaultMaxLine));
        long written = 0;
        while (true)
        {
            var read = await console.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (b == (byte)'\n' || line.Count >= maxLine)
                {
                    written = await EmitAsync(log, line, written, cancellationToken);
                    line.Clear();
                    if (b == (byte)'\n')
                    {
                        continue;
                    }
                }
                line.Add(b);
            }
        }
        if (line.Count > 0)
        {
            await EmitAsync(log, line, written, cancellationToken);
        }
    }

    private async Task<long> EmitAsync(Stream log, List<byte> raw, long written, CancellationToken cancellationToken)
    {
        var decoded = Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(raw)).TrimEnd('\r');
        // Markers are the agent's raw bytes; what the log shows is cleaned (and, in the build log, prefixed).
        if (ReadyTimestamp is null && decoded.StartsWith(ReadyMarker, StringComparison.Ordinal))
        {
            ReadyTimestamp = time.GetTimestamp();
        }
        var text = UntrustedText.Clean(decoded);
        LastLine = text;
        onLine?.Invoke(text);
        if (LogCapped)
        {
            return written;
        }
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        if (written + bytes.Length > maxLogBytes)
        {
            LogCapped = true;
            await log.WriteAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"[{time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}] builder: console log cap of {maxLogBytes} bytes (Vm:MaxConsoleLog) reached; further lines are dropped from this file\n")),
                cancellationToken);
            await log.FlushAsync(cancellationToken);
            LimitHits.Record("Vm:MaxConsoleLog");
            Log.Capped(_logger, buildId, maxLogBytes);
            return written;
        }
        await log.WriteAsync(bytes, cancellationToken);
        await log.FlushAsync(cancellationToken);
        return written + bytes.Length;
    }

    private static partial class Log
    {
        [LoggerMessage(5032, LogLevel.Warning, "Build {BuildId}: console.log reached Vm:MaxConsoleLog ({MaxBytes} bytes); further console lines are left out of it")]
        public static partial void Capped(ILogger logger, long buildId, long maxBytes);
    }
}
