using System.Text;
using Builder.Audit.Options;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Builder.Audit.Mail;

/// <summary>Turns a stored audit record into the signed mail that carries it verbatim, and writes alert mail.</summary>
public sealed class AuditMailComposer(IOptions<AuditOptions> options, AuditMessageSigner signer, TimeProvider time)
{
    /// <summary>How every audit mail's subject starts; alerts and notifications never start like this.</summary>
    public const string SubjectPrefix = "[builder audit] seq ";

    /// <summary>
    /// The Message-ID is derived from the record, so a resend of one record (e.g. after a crash between the server's
    /// acceptance and storing the Message-ID) carries the same Message-ID and is recognisable as the same delivery.
    /// </summary>
    public static string MessageIdFor(AuditMailRecord record, string host) =>
        $"audit.{record.Seq}.{record.Hash.AsSpan(7, 16)}@{host}";

    public async Task<MimeMessage> ComposeAsync(AuditMailRecord record, CancellationToken cancellationToken)
    {
        var o = options.Value;
        // Base64 keeps the record's bytes exact (LF line ends, long base64 lines) through any mail system.
        var part = new TextPart("plain")
        {
            Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(record.Record))),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = $"audit-{record.Seq}.txt" },
        };
        part.ContentType.Charset = "us-ascii";
        var message = NewMessage(o.To, $"{SubjectPrefix}{record.Seq} {record.Subject}");
        message.MessageId = MessageIdFor(record, AuditHost.Name(o));
        message.Headers.Add(AuditHeaders.Marker, "1");
        message.Headers.Add(AuditHeaders.Seq, record.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add(AuditHeaders.Hash, record.Hash);
        if (record.BuildId is { } build)
        {
            message.Headers.Add(AuditHeaders.Build, build.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        message.Body = await signer.SignAsync(part, cancellationToken);
        return message;
    }

    public MimeMessage ComposeAlert(AuditMailRecord record, string error)
    {
        var (what, about) = record.BuildId is { } build ? ($"for build {build}", $"{record.Event} of build {build}") : ($"({record.Event})", record.Event);
        var message = NewMessage(options.Value.AlertTo, $"[builder audit] HELD: seq {record.Seq} {what} was refused");
        message.Body = new TextPart("plain")
        {
            Text = $"""
                The off-site SMTP server permanently refused audit record seq {record.Seq} ({about}):

                    {error}

                No build starts until this record is accepted. Fix the cause (recipient address, server policy,
                credentials), then release the record so the daemon retries it; the build stays in 'auditing' meanwhile.
                """,
        };
        return message;
    }

    public MimeMessage NewMessage(IEnumerable<string> to, string subject)
    {
        var message = new MimeMessage { Subject = subject, Date = time.GetUtcNow() };
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }
        return message;
    }
}
