using Builder.Audit.Mail;
using Builder.Audit.Notify;
using Builder.Core.Builds;
using Builder.Daemon.Hosting;
using Builder.Daemon.Logs;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>The notification mail of a finished build, to its requester and the pocket's NotifyTo; a failed mail is logged only.</summary>
internal sealed partial class BuildNotifier(
    NotificationComposer notifications,
    SmtpMailTransport mail,
    BuildLogStore logs,
    IOptionsMonitor<PocketsOptions> pockets,
    IOptions<PipelineOptions> options,
    PublicBaseUrl links,
    ILogger<BuildNotifier> logger)
{
    public async Task NotifyAsync(BuildRun run, BuildRecord build, BuildOutcome outcome, CancellationToken ct)
    {
        var recipients = new List<string>();
        if (options.Value.RequesterAddress is { Length: > 0 } template)
        {
            recipients.Add(template.Replace("{requester}", build.Requester, StringComparison.Ordinal));
        }
        recipients.AddRange(pockets.CurrentValue.GetValueOrDefault(build.Pocket)?.NotifyTo ?? []);
        if (recipients.Count == 0)
        {
            return;
        }
        try
        {
            await run.Writer.FlushAsync(ct);
            var log = await logs.ReadTailAsync(run.BuildId, NotificationComposer.MaxTailBytes, ct);
            var message = notifications.Compose(new BuildNotification(build.Id, build.Pocket, build.Package, build.Version, build.CommitId, outcome.State,
                outcome.FailedStage, outcome.Reason, recipients, log, links.BuildUrl(build.Id)));
            await mail.SendAsync(message, ct);
            await run.LogAsync($"notified {string.Join(", ", recipients)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotifyFailed(logger, build.Id, ex);
            await run.LogAsync($"notification mail failed: {ex.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8502, LogLevel.Warning, "Build {BuildId}: notification mail failed")]
        public static partial void NotifyFailed(ILogger logger, long buildId, Exception exception);
    }
}
