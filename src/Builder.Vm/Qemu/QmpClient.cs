using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Builder.Vm.Qemu;

/// <summary>
/// Minimal QMP client over the VM's unix socket: negotiates capabilities and sends one command.
/// Replies are read line by line with a size cap (qemu is the peer, but the guest influences what it says).
/// </summary>
internal static class QmpClient
{
    private const int MaxLine = 64 << 10;

    /// <summary>Sends <paramref name="command"/> (e.g. "quit", "system_powerdown"); true when qemu acknowledged it.</summary>
    public static async Task<bool> ExecuteAsync(string socketPath, string command, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new LineReader(stream);
        await reader.ReadObjectAsync("QMP", cancellationToken);
        await SendAsync(stream, "qmp_capabilities", cancellationToken);
        if (!await reader.WaitForReturnAsync(cancellationToken))
        {
            return false;
        }
        await SendAsync(stream, command, cancellationToken);
        return await reader.WaitForReturnAsync(cancellationToken);
    }

    private static async Task SendAsync(Stream stream, string command, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["execute"] = command },
            QmpJsonContext.Default.DictionaryStringString);
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }

    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[MaxLine];
        private int _length;

        /// <summary>Reads lines until one is a {"return": …} (true) or {"error": …} (false); events are skipped.</summary>
        public async Task<bool> WaitForReturnAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                using var doc = await ReadObjectAsync(null, cancellationToken);
                if (doc.RootElement.TryGetProperty("return", out _))
                {
                    return true;
                }
                if (doc.RootElement.TryGetProperty("error", out _))
                {
                    return false;
                }
            }
        }

        public async Task<JsonDocument> ReadObjectAsync(string? requiredProperty, CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', 0, _length);
                if (newline >= 0)
                {
                    var doc = JsonDocument.Parse(_buffer.AsMemory(0, newline));
                    Array.Copy(_buffer, newline + 1, _buffer, 0, _length - newline - 1);
                    _length -= newline + 1;
                    if (requiredProperty is not null && !doc.RootElement.TryGetProperty(requiredProperty, out _))
                    {
                        doc.Dispose();
                        throw new InvalidDataException($"QMP: expected a greeting with '{requiredProperty}'");
                    }
                    return doc;
                }
                if (_length == _buffer.Length)
                {
                    throw new InvalidDataException($"QMP: line longer than {MaxLine} bytes");
                }
                var read = await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException($"QMP: connection closed ({Encoding.UTF8.GetString(_buffer, 0, Math.Min(_length, 200))})");
                }
                _length += read;
            }
        }
    }
}
