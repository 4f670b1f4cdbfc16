using MimeKit;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>One mail as the SMTP server stored it: decoded text parts, and the time the server wrote the file.</summary>
public sealed record StoredMail(string Subject, string Text, DateTime StoredUtc, IReadOnlyList<string> Recipients);

/// <summary>
/// The mails one daemon sent (identified by its From address) in a Maildir that aiosmtpd writes. Several daemons of a
/// test run share a Maildir and their build ids overlap, so the sender is part of every query.
/// </summary>
public sealed class Mailbox(string maildir, string from)
{
    /// <summary>Mails carrying <paramref name="header"/> = <paramref name="value"/>.</summary>
    public IReadOnlyList<StoredMail> Find(string header, string value) =>
        [.. new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists).SelectMany(Directory.GetFiles)
            .Select(f => (Message: MimeMessage.Load(f), Stored: File.GetLastWriteTimeUtc(f)))
            .Where(m => m.Message.From.Mailboxes.Any(a => a.Address == from) && m.Message.Headers[header] == value)
            .OrderBy(m => m.Stored)
            .Select(m => new StoredMail(m.Message.Subject ?? "",
                string.Join("\n", m.Message.BodyParts.OfType<TextPart>().Select(t => t.Text)), m.Stored,
                [.. m.Message.To.Mailboxes.Select(a => a.Address)]))];

    /// <summary>
    /// Waits until a mail with the header matches <paramref name="wanted"/> (the build-end record and the notification
    /// follow a build's final transition), then returns all mails with that header.
    /// </summary>
    public async Task<IReadOnlyList<StoredMail>> WaitForAsync(string header, string value, Func<StoredMail, bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var mails = Find(header, value);
            if (mails.Any(wanted) || DateTime.UtcNow > deadline)
            {
                return mails;
            }
            await Task.Delay(500);
        }
    }

    /// <summary>The audit mails of a build (the record is the text part).</summary>
    public IReadOnlyList<StoredMail> AuditRecords(long buildId) => Find("X-Builder-Audit-Build", Id(buildId));

    /// <summary>Waits for the build's build-end record and returns the build's audit mails.</summary>
    public Task<IReadOnlyList<StoredMail>> WaitForBuildEndRecordAsync(long buildId) =>
        WaitForAsync("X-Builder-Audit-Build", Id(buildId), m => IsEvent(m, "build-end"));

    /// <summary>Waits for the build's notification and returns it (exactly one).</summary>
    public async Task<StoredMail> WaitForNotificationAsync(long buildId) =>
        Assert.Single(await WaitForAsync("X-Builder-Build", Id(buildId), _ => true));

    public static bool IsEvent(StoredMail mail, string auditEvent) => mail.Text.Contains($"\nevent {auditEvent}\n", StringComparison.Ordinal);

    private static string Id(long buildId) => buildId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
