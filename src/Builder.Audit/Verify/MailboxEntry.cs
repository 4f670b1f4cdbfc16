namespace Builder.Audit.Verify;

/// <summary>One mail of a mailbox in arrival order; <see cref="Problem"/> is set when it was not loaded.</summary>
internal sealed record MailboxEntry(string Source, MimeKit.MimeMessage? Message, string? Problem);
