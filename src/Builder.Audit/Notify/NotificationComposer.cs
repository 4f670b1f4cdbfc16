using System.Text;
using Builder.Audit.Mail;
using Builder.Core.Builds;
using MimeKit;

namespace Builder.Audit.Notify;

/// <summary>
/// The success/failure mail to the requester and the pocket's list: state, failed stage, version, the last
/// <see cref="TailLines"/> lines of the log and the web link. The log comes from the build, so it is bounded and
/// stripped of control characters before it goes into a mail.
/// </summary>
public sealed class NotificationComposer
{
    public const int TailLines = 50;
    public const int MaxLineLength = 500;

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
            body.Append("Reason:  ").Append(Clean(n.Reason)).Append('\n');
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

    private static string Clean(string line)
    {
        var cut = line.Length > MaxLineLength ? line[..MaxLineLength] + "…" : line;
        return string.Create(cut.Length, cut, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) && s[i] != '\t' ? '?' : s[i];
            }
        });
    }

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);
}
