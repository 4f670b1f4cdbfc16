using System.Text;
using Builder.Audit.Mail;
using Builder.Core.Builds;
using Builder.Core.Text;
using MimeKit;

namespace Builder.Audit.Notify;

/// <summary>
/// The success/failure mail to the requester and the pocket's list: state, failed stage, version, the last
/// <see cref="TailLines"/> lines of the log and the web link. The log comes from the build, so it is bounded and
/// cleaned (<see cref="UntrustedText"/>) before it goes into a mail; the caller reads only its last
/// <see cref="MaxTailBytes"/> bytes.
/// </summary>
public sealed class NotificationComposer
{
    public const int TailLines = 50;
    public const int MaxLineLength = 500;

    /// <summary>How much of the log's end the caller needs to read: more than <see cref="TailLines"/> lines of <see cref="MaxLineLength"/>.</summary>
    public const int MaxTailBytes = 100 << 10;

    private readonly AuditMailComposer _mail;

    internal NotificationComposer(AuditMailComposer mail)
    {
        _mail = mail;
    }

    public MimeMessage Compose(BuildNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        if (n.Recipients.Count == 0)
        {
            throw new ArgumentException($"build {n.BuildId}: a notification needs at least one recipient", nameof(n));
        }
        var state = BuildStates.Name(n.State);
        var outcome = n.State == BuildState.Failed ? $"failed at {n.FailedStage}" : state;
        var message = _mail.NewMessage(n.Recipients, $"[builder] {n.Pocket}/{n.Package} {n.Version ?? "(no version)"}: {outcome}");
        var body = new StringBuilder()
            .Append("Build:   ").Append(n.BuildId).Append('\n')
            .Append("Pocket:  ").Append(n.Pocket).Append('\n')
            .Append("Package: ").Append(n.Package).Append('\n')
            .Append("Version: ").Append(n.Version ?? "-").Append('\n')
            .Append("Commit:  ").Append(n.Commit ?? "-").Append('\n')
            .Append("State:   ").Append(state).Append('\n');
        if (n.FailedStage is not null)
        {
            body.Append("Failed stage: ").Append(n.FailedStage).Append('\n');
        }
        if (n.Reason is not null)
        {
            body.Append("Reason:  ").Append(UntrustedText.CleanCut(UntrustedLines.Join(n.Reason), 4 * MaxLineLength)).Append('\n');
        }
        body.Append("Details: ").Append(n.WebUrl.AbsoluteUri).Append("\n\n");
        var tail = Tail(n.Log);
        body.Append(CultureInvariant($"Last {tail.Count} lines of the log:\n\n"));
        foreach (var line in tail)
        {
            body.Append("  ").Append(line).Append('\n');
        }
        message.Body = new TextPart("plain") { Text = body.ToString() };
        message.Headers.Add("X-Builder-Build", n.BuildId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return message;
    }

    /// <summary>The last <see cref="TailLines"/> lines, each cut to <see cref="MaxLineLength"/> characters and cleaned.</summary>
    public static IReadOnlyList<string> Tail(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var lines = log.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (lines.Length == 1 && lines[0].Length == 0)
        {
            return [];
        }
        return [.. lines.Skip(Math.Max(0, lines.Length - TailLines)).Select(Clean)];
    }

    private static string Clean(string line) => UntrustedText.CleanCut(line, MaxLineLength);

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);
}
