using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;

namespace Builder.Audit.Verify;

/// <summary>
/// Reads a Maildir (new/ and cur/) or an mbox file in arrival order. Maildir arrival order is the delivery time
/// the file name carries (<c>seconds.M&lt;microseconds&gt;P…</c>, as Python's mailbox and most MDAs write it), else
/// the file's modification time.
/// </summary>
internal static partial class MailboxReader
{
    /// <summary>
    /// A signed audit mail carries at most <see cref="Builder.Core.Audit.AuditRecordFormat.MaxRecordBytes"/> of record
    /// as base64 (4/3 of it, with line breaks) plus headers and the S/MIME signature: four times the record limit holds
    /// the largest valid one with room to spare; anything much larger is not one and is not loaded.
    /// </summary>
    public const long MaxMessageBytes = 4L * Builder.Core.Audit.AuditRecordFormat.MaxRecordBytes;

    public const int MaxMessages = 10_000_000;

    public static IEnumerable<MailboxEntry> Read(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            if (!Directory.Exists(Path.Combine(path, "new")) && !Directory.Exists(Path.Combine(path, "cur")))
            {
                throw new AuditMailboxException($"{path}: a directory without new/ or cur/ is not a Maildir");
            }
            return ReadMaildir(path, cancellationToken);
        }
        if (File.Exists(path))
        {
            return ReadMbox(path, cancellationToken);
        }
        throw new AuditMailboxException($"{path}: no such Maildir or mbox file");
    }

    private static IEnumerable<MailboxEntry> ReadMaildir(string path, CancellationToken cancellationToken)
    {
        List<(string File, (long, long, DateTime, string) Key)> files;
        try
        {
            files = [.. new[] { "new", "cur" }.Select(d => Path.Combine(path, d)).Where(Directory.Exists)
                .SelectMany(Directory.EnumerateFiles).Take(MaxMessages + 1).Select(f => (f, ArrivalKey(f)))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditMailboxException($"{path}: {e.Message}", e);
        }
        if (files.Count > MaxMessages)
        {
            throw new AuditMailboxException($"{path}: more than {MaxMessages} messages");
        }
        byte[]? buffer = null;
        foreach (var (file, _) in files.OrderBy(f => f.Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(file);
            MailboxEntry entry;
            try
            {
                entry = ReadMessage(file, name, buffer ??= new byte[MaxMessageBytes + 1], cancellationToken);
            }
            catch (FormatException e)
            {
                entry = new MailboxEntry(name, null, $"not a mail message: {e.Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AuditMailboxException($"{file}: {e.Message}", e);
            }
            yield return entry;
        }
    }

    /// <summary>
    /// One Maildir file, bounded: the size is the file's a symlink points at (the link's own is a few bytes), and at most
    /// one byte more than the limit is read, whatever the size said. A size of 0 is not opened: that is what a pipe
    /// (whose open blocks until someone writes) or a device reports, and an empty file holds no mail either.
    /// </summary>
    private static MailboxEntry ReadMessage(string file, string name, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = SizeOf(file);
        if (length == 0)
        {
            return new MailboxEntry(name, null, "0 bytes: an empty file, a pipe or a device is not a mail message");
        }
        if (length > MaxMessageBytes)
        {
            return new MailboxEntry(name, null, $"{length} bytes exceed the limit of {MaxMessageBytes} for one message");
        }
        int read;
        using (var stream = File.OpenRead(file))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        if (read > MaxMessageBytes)
        {
            return new MailboxEntry(name, null, $"more than {MaxMessageBytes} bytes, the limit for one message");
        }
        using var content = new MemoryStream(buffer, 0, read, writable: false);
        return new MailboxEntry(name, MimeMessage.Load(content, cancellationToken), null);
    }

    /// <summary>The size of the file, or of the file a symlink finally points at (the link's own is the length of its target's name).</summary>
    private static long SizeOf(string file)
    {
        FileSystemInfo target = new FileInfo(file);
        if (target.LinkTarget is not null)
        {
            target = File.ResolveLinkTarget(file, returnFinalTarget: true) ?? target;
        }
        return target is FileInfo { Exists: true } info ? info.Length
            : throw new FileNotFoundException($"the link points at {target.FullName}, which is no file", target.FullName);
    }

    private static (long, long, DateTime, string) ArrivalKey(string file)
    {
        var name = Path.GetFileName(file);
        var m = MaildirName().Match(name);
        return m.Success
            ? (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), default, name)
            : (long.MaxValue, 0, File.GetLastWriteTimeUtc(file), name);
    }

    private static IEnumerable<MailboxEntry> ReadMbox(string path, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            // 0 bytes: an empty mbox holds no mail, and a pipe (whose open blocks until someone writes) or a device is
            // never opened.
            if (SizeOf(path) == 0)
            {
                yield break;
            }
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditMailboxException($"{path}: {e.Message}", e);
        }
        using (stream)
        {
            var head = new byte[5];
            var read = stream.ReadAtLeast(head, 5, throwOnEndOfStream: false);
            stream.Position = 0;
            if (read > 0 && (read < 5 || !head.AsSpan().SequenceEqual("From "u8)))
            {
                throw new AuditMailboxException($"{path}: not an mbox file (it does not start with a 'From ' line) and not a Maildir");
            }
            var index = 0;
            byte[]? buffer = null;
            // Found on a second handle: the scan runs ahead while each message is read from the first.
            using var scan = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            foreach (var (offset, length) in MboxSegments.Find(scan, cancellationToken))
            {
                index++;
                if (index > MaxMessages)
                {
                    throw new AuditMailboxException($"{path}: more than {MaxMessages} messages");
                }
                var name = $"mbox message {index}";
                if (length > MaxMessageBytes)
                {
                    // Never parsed: a message this large is not an audit mail, and loading it is what a flood wants.
                    yield return new MailboxEntry(name, null, $"{length} bytes exceed the limit of {MaxMessageBytes} for one message");
                    continue;
                }
                buffer ??= new byte[MaxMessageBytes];
                stream.Position = offset;
                stream.ReadExactly(buffer, 0, (int)length);
                MailboxEntry entry;
                try
                {
                    var parser = new MimeParser(new MemoryStream(buffer, 0, (int)length, writable: false), MimeFormat.Mbox);
                    entry = new MailboxEntry(name, parser.ParseMessage(cancellationToken), null);
                }
                catch (FormatException e)
                {
                    entry = new MailboxEntry(name, null, $"not a mail message: {e.Message}");
                }
                yield return entry;
            }
        }
    }

    [GeneratedRegex(@"^(\d{1,18})\.M(\d{1,9})P")]
    private static partial Regex MaildirName();
}
