using System.Text;

namespace Builder.Vm.Running;

/// <summary>
/// Reads the guest's serial console (qemu's stdout): splits it into lines (long lines are broken at
/// <see cref="MaxLine"/> bytes), replaces control characters, appends to the log file up to a cap, hands each
/// line to the caller and notes the agent's markers. The guest controls every byte here.
/// </summary>
internal sealed class ConsoleCapture(Stream console, string logPath, long maxLogBytes, Action<string>? onLine, TimeProvider time)
{
    public const int MaxLine = 4096;
    public const string ReadyMarker = "builder-agent: ready";

    public long? ReadyTimestamp { get; private set; }

    public string LastLine { get; private set; } = "";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 12, useAsync: true);
        var buffer = new byte[1 << 14];
        var line = new List<byte>(256);
        long written = 0;
        var truncated = false;
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
                if (b == (byte)'\n' || line.Count >= MaxLine)
                {
                    (written, truncated) = await EmitAsync(log, line, written, truncated, cancellationToken);
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
            await EmitAsync(log, line, written, truncated, cancellationToken);
        }
    }

    private async Task<(long Written, bool Truncated)> EmitAsync(Stream log, List<byte> raw, long written, bool truncated, CancellationToken cancellationToken)
    {
        var text = Clean(Encoding.UTF8.GetString(raw.ToArray()));
        LastLine = text;
        if (ReadyTimestamp is null && text.StartsWith(ReadyMarker, StringComparison.Ordinal))
        {
            ReadyTimestamp = time.GetTimestamp();
        }
        onLine?.Invoke(text);
        if (truncated)
        {
            return (written, true);
        }
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        if (written + bytes.Length > maxLogBytes)
        {
            await log.WriteAsync(Encoding.UTF8.GetBytes($"[builder: console log cap of {maxLogBytes} bytes reached; the rest is dropped]\n"), cancellationToken);
            await log.FlushAsync(cancellationToken);
            return (written, true);
        }
        await log.WriteAsync(bytes, cancellationToken);
        await log.FlushAsync(cancellationToken);
        return (written + bytes.Length, false);
    }

    // Terminal escape sequences and other control characters from the guest must not reach whoever reads the log.
    private static string Clean(string text)
    {
        var trimmed = text.TrimEnd('\r');
        return trimmed.Any(c => char.IsControl(c) && c != '\t')
            ? string.Concat(trimmed.Select(c => char.IsControl(c) && c != '\t' ? '?' : c))
            : trimmed;
    }
}
